"""Rate limits: per-client buckets in Django's cache, answered with 429 and Retry-After.

A limit is a setting, "<amount>/<period>" (period: s, m, h, d, or a number of seconds such as
"100/300s"), or None for no limit. Each client has its own bucket (a fixed window counted in
CACHES under a hash of its key), so a burst from one client never slows another.

Use it on any view:

    from convene.core.ratelimit import ratelimit

    @ratelimit("press_application", rate=settings.RATE_LIMITS["public_forms"], methods=["POST"])
    def apply(request): ...

or call `check(scope, key, rate)` where a decorator does not fit. Several app servers must
share one cache (CONVENE_CACHE_URL, docs/security.md), or each counts only what it sees.
"""

import functools
import hashlib
import ipaddress
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")


@dataclass(frozen=True)
class Rate:
    amount: int  # requests allowed in one window
    period: int  # the window, in seconds


def parse_rate(rate: str | None) -> Rate | None:
    """"30/m" -> Rate(30, 60); "100/300s" -> Rate(100, 300); None or "" -> no limit."""
    if not rate:
        return None
    match = _RATE.match(rate)
    if not match or (not match.group(2) and not match.group(3)):
        raise ValueError(f"Not a rate: {rate!r} (expected e.g. '60/m', '1000/h', '100/300s')")
    amount, number, unit = match.groups()
    period = int(number or 1) * _UNITS[unit or "s"]
    if period <= 0:
        raise ValueError(f"Not a rate: {rate!r} (the period must be positive)")
    return Rate(int(amount), period)


def check(scope: str, key: str, rate: str | Rate | None) -> int | None:
    """Count one request of `key` in `scope`; return None if it is allowed, else the seconds
    until the client may try again (for Retry-After)."""
    if isinstance(rate, str) or rate is None:
        rate = parse_rate(rate)
    if rate is None:
        return None
    now = time.time()
    window = int(now // rate.period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    bucket = f"ratelimit:{scope}:{rate.period}:{digest}:{window}"
    # add() starts the window's count only if it is not there yet; incr() counts atomically on
    # the backends that can (Redis, Memcached, local memory) and closely enough on the others.
    cache.add(bucket, 0, timeout=rate.period + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add() and incr()
        cache.add(bucket, 1, timeout=rate.period + 1)
        count = 1
    if count <= rate.amount:
        return None
    return max(1, math.ceil((window + 1) * rate.period - now))


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind CONVENE_PROXY_COUNT trusted proxies the
    address the nearest of them saw (never a value the client can choose)."""
    proxies = getattr(settings, "CONVENE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if a.strip()]
        if len(forwarded) >= proxies and is_ip_address(forwarded[-proxies]):
            return forwarded[-proxies]
    address = request.META.get("REMOTE_ADDR", "")
    return address if is_ip_address(address) else "unknown"


def is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 answer: JSON for the API, a short page for people, Retry-After for both."""
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
        "seconds": retry_after}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(f"<!doctype html><title>429</title><h1>429</h1><p>{message}</p>",
                                status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope: str, *, rate: str | None | Callable[[], str | None],
              key: Callable[[HttpRequest], str] = client_ip,
              methods: Iterable[str] | None = None):
    """Decorate a view: past `rate` requests per `key` (default: the client's address) it
    answers 429 with Retry-After. `rate` may be a callable read at each request, so that a
    setting changed at run time (or in a test) applies at once."""
    only = {m.upper() for m in methods} if methods else None

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if only is None or request.method in only:
                current = rate() if callable(rate) else rate
                if (retry := check(scope, key(request), current)) is not None:
                    return too_many_requests(request, retry)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def setting(name: str) -> Callable[[], str | None]:
    """A rate read from settings.RATE_LIMITS[name] at each request (for `ratelimit(rate=…)`)."""
    return lambda: settings.RATE_LIMITS.get(name)


# --- The platform-wide limits: public pages and forms ------------------------------------------
_NOT_PUBLIC = ("/api/", "/static/", "/accounts/", "/admin/")


class PublicRateLimitMiddleware:
    """Visitors who are not logged in: pages they read (RATE_LIMITS["public_pages"]) and forms
    they send (RATE_LIMITS["public_forms"]), per address. The API has its own limits
    (convene.accounts.middleware), the login and password-reset pages allauth's
    (ACCOUNT_RATE_LIMITS); this middleware adds Retry-After to allauth's 429 too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not request.path.startswith(_NOT_PUBLIC) and not (user and user.is_authenticated):
            name = "public_pages" if request.method in ("GET", "HEAD") else "public_forms"
            retry = check(name, client_ip(request), settings.RATE_LIMITS.get(name))
            if retry is not None:
                return too_many_requests(request, retry)
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(_allauth_period())
        return response


def _allauth_period() -> int:
    """allauth answers 429 without Retry-After; its windows are those of ACCOUNT_RATE_LIMITS,
    and the longest of them is the honest upper bound of the wait."""
    periods = [60]
    for value in getattr(settings, "ACCOUNT_RATE_LIMITS", {}).values():
        for part in (value or "").split(","):
            rate = part.split("/")
            if len(rate) >= 2:
                try:
                    periods.append(parse_rate(f"{rate[0]}/{rate[1]}").period)
                except ValueError:
                    pass
    return max(periods)
