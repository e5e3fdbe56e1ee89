"""Settings for the test suite: the production settings, with what tests set on purpose.

A subprocess started by a test (a worker, a second node) runs the production settings
(`DJANGO_SETTINGS_MODULE=convene.settings`, the `convene` command's default) unless the test
sets its environment; `tests` is not importable from there.
"""

import os
import tempfile

# Keys, uploads and the secret key the tests make go to a directory of this run, never to var/
# (`make test` makes one; a bare `pytest` gets its own), so no run sees an earlier run's files.
# Subprocesses that the tests start inherit it.
if not os.environ.get("CONVENE_VAR_DIR"):
    os.environ["CONVENE_VAR_DIR"] = tempfile.mkdtemp(prefix="convene-test-")

from convene.settings import *  # noqa: E402, F403
from convene.settings import ACCOUNT_RATE_LIMITS  # noqa: E402

# The browser tests log in as several people in every journey, all from 127.0.0.1, and a fast
# worker logs in more often than production's per-address login limit allows: whether the suite
# passed depended on the machine's speed (issue 17). The limit is off here by decision, and
# tests/test_rate_limits.py puts the production value back and expects its 429.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": None}

# The platform's own limits (convene/core/ratelimit.py, the API's in accounts/middleware.py) are
# off here by the same decision: the suite's clients all come from 127.0.0.1 and call far faster
# than a person. tests/test_rate_limits.py sets each one and expects its 429 and Retry-After.
RATE_LIMITS = dict.fromkeys(("api_token", "api_address", "gate_device", "public_pages",
                             "public_forms", "press_application"))
# Each test process counts in its own memory: two test workers must not share (or clear) each
# other's counts; production shares one cache between its workers (convene/settings.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
