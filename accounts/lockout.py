"""django-axes' callables: what a locked-out client sees (AXES_LOCKOUT_CALLABLE), and the
user name it counts failures under (AXES_USERNAME_CALLABLE)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429
# No account has a longer user name (the User model's column); axes' own column is 255.
USERNAME_MAX_LENGTH = 150


def lockout_username(request, credentials=None) -> str | None:
    """The user name axes counts a failed sign-in under, cut to the longest real one.

    Every way to sign in (the sign-in page, the admin's, the token API) ends in
    authenticate(), whose failure signal hands axes whatever was typed; a 300-character
    name overflowed axes' column and the sign-in became a 500. The forms refuse such names
    with a message first; this is the one place that keeps axes safe whatever the caller.
    A cut name locks out no real account: none is that long.
    """
    if credentials:
        username = credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        username = data.get("username")
    if username is None:
        return None
    return str(username)[:USERNAME_MAX_LENGTH]


def lockout_message() -> str:
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # The same sentence whether the user name exists or not: no account enumeration.
    return _("登录失败次数过多，已暂时锁定。请 %(minutes)s 分钟后再试，或通过“忘记密码”重设密码。") % {
        "minutes": minutes
    }


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=LOCKOUT_STATUS)
    return render(request, "registration/lockout.html", {"message": lockout_message()}, status=LOCKOUT_STATUS)
