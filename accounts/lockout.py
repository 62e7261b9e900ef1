"""What a locked-out client sees (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429


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
