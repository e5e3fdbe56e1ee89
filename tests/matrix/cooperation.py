"""cooperation pages and API.

The node endpoints (inbox, chunks, directory, keys) are machine to machine: they take no
session, and what authenticates a message is its signature under a key in the depositary's
signed directory; every role (and no login at all) gets the same answer — a signed receipt
(a rejection for the empty body sent here), a 400 for a chunk that is not for this node, the
public signed directory, the public keys.
"""

from tests.matrix import EVERYONE, Operation

CASE_WORKERS = ["case_officer", "duty_officer"]


def prepare(world):
    from convene.cooperation import directory

    directory.publish()


PAGES = {}

OPERATIONS = {
    ("post", "/api/cooperation/node/inbox"): Operation(EVERYONE, ok=(200,)),
    ("post", "/api/cooperation/node/chunks"): Operation(EVERYONE, ok=(400,)),
    ("get", "/api/cooperation/directory"): Operation(EVERYONE, ok=(200,)),
    ("get", "/api/cooperation/node/keys"): Operation(EVERYONE, ok=(200,)),
    ("get", "/api/cooperation/cases"): Operation(CASE_WORKERS),
    ("get", "/api/cooperation/statistics"): Operation(["case_officer", "depositary"]),
}
