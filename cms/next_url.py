"""Where to send the visitor after a form: the `next` it asked for, when that is safe.

One home for the check, because `redirect(next)` with whatever was posted failed in two
ways: an address on another site (an open redirect), and a value that is not an address
at all ("名名名…", "home"), which Django's redirect() tries as a URL pattern *name*, fails to
reverse, and turned into a 500.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, target: str | None, default: str) -> str:
    """`target` when it is a path on this site (or a URL of this host), else `default`."""
    target = (target or "").strip()
    if not target or not (target.startswith("/") or "://" in target):
        return default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
