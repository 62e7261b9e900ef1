"""The accounts API: a token for scripts and apps, and who the caller is."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.client import client_ip, client_user_agent
from accounts.lockout import LOCKOUT_STATUS, USERNAME_MAX_LENGTH, lockout_message
from accounts.restrictions import mute_is_permanent, sign_in_ban_message
from accounts.services import sign_in_record


class TokenInput(serializers.Serializer):
    # As long as the longest user name an account can have; longer is refused here, before
    # authenticate() and the lockout records see it.
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class MuteEndField(serializers.DateTimeField):
    """The end of a mute in Beijing time; a permanent mute ends at datetime.max, given in UTC
    (9999-12-31T23:59:59.999999Z), since converting it to +08:00 would overflow."""

    def to_representation(self, value):
        if mute_is_permanent(value):
            return value.isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="reader, author, editor, moderator, admin")
    muted_until = MuteEndField(
        allow_null=True,
        help_text="禁言结束时间；未被禁言时为 null；永久禁言时为 9999-12-31T23:59:59.999999Z（见 mute_permanent）。",
    )
    mute_permanent = serializers.BooleanField(help_text="是否被永久禁言。")
    banned = serializers.BooleanField(help_text="账号是否已被封禁。")


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class TokenObtainView(APIView):
    """Exchange a user name and password for an API token (sent as `Authorization: Token …`).

    Failed attempts count towards the same lockout as the sign-in page (django-axes).
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(ErrorOutput, description="用户名或密码不正确"),
            403: OpenApiResponse(ErrorOutput, description="账号已被封禁（仅在用户名和密码都正确时说明）"),
        },
        summary="获取 API 令牌",
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, so axes flags it and its middleware sees the flag.
        django_request = request._request
        user = authenticate(
            django_request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=LOCKOUT_STATUS)
        if user is None:
            # Right password, banned account: say so (and only then; see accounts.restrictions).
            banned = sign_in_ban_message(
                username=data.validated_data["username"], password=data.validated_data["password"]
            )
            if banned:
                return Response({"detail": banned}, status=status.HTTP_403_FORBIDDEN)
            raise ValidationError({"detail": _("用户名或密码不正确。")})
        # A token is a sign-in too: record it like one (multi-account signals).
        sign_in_record(user=user, ip_address=client_ip(django_request), user_agent=client_user_agent(django_request))
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenOutput({"token": token.key}).data, status=status.HTTP_200_OK)


class MeView(APIView):
    """The signed-in account: user name, roles, and whether it is muted or banned."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: MeOutput}, summary="当前账号")
    def get(self, request):
        user = request.user
        muted_until = selectors.user_muted_until(user)
        return Response(
            MeOutput(
                {
                    "username": user.get_username(),
                    "roles": selectors.user_role_names(user),
                    "muted_until": muted_until,
                    "mute_permanent": mute_is_permanent(muted_until),
                    "banned": selectors.user_is_banned(user),
                }
            ).data
        )
