"""Who is on the other end of a request: client address and user agent.

One home for this, so sign-in records, django-axes and the sign-up rate limit agree.
"""

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX_LENGTH = 512


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind N trusted proxies (YUMAO_TRUSTED_PROXY_COUNT) it is the
    N-th address from the right of X-Forwarded-For; addresses further left are written by
    the client and cannot be trusted."""
    proxies = settings.YUMAO_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def client_user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH]
