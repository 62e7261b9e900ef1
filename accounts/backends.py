from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, tolerant of authenticate() calls made without a request.

    Every way in from the outside (the sign-in page, the API token endpoint, DRF's
    authentication classes) passes the request, so those are counted and locked out.
    A call without a request has no client to count — the test client's login(), the
    shell — and axes would raise there; this backend simply lets the next backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
