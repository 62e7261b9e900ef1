import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import Client

from accounts.models import SignInKind, SignInRecord, User
from accounts.services import EMAIL_VERIFICATION_SALT
from tests.accounts.factories import user_in_role

# Transactional: the verification mail is sent after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {
    "username": "李小白",
    "email": "libai@example.test",
    "password1": "春眠不觉晓-2026",
    "password2": "春眠不觉晓-2026",
}


def _signup(client, **overrides):
    return client.post("/accounts/signup/", {**GOOD, **overrides}, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="UA-1")


def _verification_link() -> str:
    return re.search(r"https?://\S+(/accounts/verify-email/\S+/)", mail.outbox[-1].body).group(1)


def test_signup_creates_a_signed_in_reader_and_sends_a_verification_mail(client):
    response = _signup(client)

    assert response.status_code == 302
    user = User.objects.get(username="李小白")
    assert list(user.groups.values_list("name", flat=True)) == ["reader"]
    assert not user.email_verified
    assert client.get("/accounts/me/").status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["libai@example.test"]
    assert "验证" in mail.outbox[0].subject


def test_signup_and_the_sign_in_that_follows_are_recorded_with_ip_and_user_agent(client):
    _signup(client)

    records = SignInRecord.objects.filter(user__username="李小白")
    assert {(r.kind, r.ip_address, r.user_agent) for r in records} == {
        (SignInKind.SIGNUP, "203.0.113.7", "UA-1"),
        (SignInKind.LOGIN, "203.0.113.7", "UA-1"),
    }


def test_unverified_user_can_read_and_sees_a_banner_that_resends_the_mail(client):
    _signup(client)

    page = client.get("/").content.decode()
    assert "还没有验证" in page and "重新发送验证邮件" in page
    response = client.post("/accounts/verify-email/resend/", {"next": "/"}, follow=True)
    assert len(mail.outbox) == 2
    assert "新的验证邮件已发到" in response.content.decode()
    # A second resend within the minute is refused with a reason, and sends nothing.
    response = client.post("/accounts/verify-email/resend/", {"next": "/"}, follow=True)
    assert len(mail.outbox) == 2
    assert "一分钟后再试" in response.content.decode()


def test_verification_link_works_once(client):
    _signup(client)
    link = _verification_link()

    response = client.get(link, follow=True)
    assert "验证成功" in response.content.decode()
    assert User.objects.get(username="李小白").email_verified
    assert "还没有验证" not in client.get("/").content.decode()

    again = client.get(link, follow=True)
    assert "已经使用过了" in again.content.decode()


def test_verification_link_expires(client, settings):
    _signup(client)
    user = User.objects.get(username="李小白")

    class FourDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 4 * 24 * 3600)

    token = FourDaysAgo(salt=EMAIL_VERIFICATION_SALT).sign_object(
        {"user": user.pk, "email": user.email.lower()}, compress=True
    )
    response = client.get(f"/accounts/verify-email/{token}/")

    assert response.status_code == 400
    assert "验证链接已过期" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_tampered_verification_link_is_refused(client):
    _signup(client)
    link = _verification_link()

    response = client.get(link[:-3] + "xx/")

    assert response.status_code == 400
    assert "验证链接无效" in response.content.decode()
    assert not User.objects.get(username="李小白").email_verified


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"username": "LI-xiaobai"}, "这个用户名已经有人使用了"),
        ({"username": "ＬＩ-xiaobai"}, "这个用户名已经有人使用了"),
        ({"email": "Old@Example.TEST"}, "这个邮箱已经注册过账号"),
        ({"password1": "12345678", "password2": "12345678"}, "密码"),
        ({"password1": "short", "password2": "short"}, "密码"),
        ({"password2": "另一个密码-2026"}, "两次输入的密码不一致"),
        ({"email": "not-an-address"}, "请填写有效的邮箱地址"),
        ({"username": "有 空格"}, "用户名只能包含"),
    ],
    ids=[
        "username-case",
        "username-full-width",
        "email-case",
        "numeric-password",
        "short-password",
        "mismatch",
        "bad-email",
        "bad-name",
    ],
)
def test_bad_signup_is_refused_with_a_chinese_message_and_saves_nothing(client, overrides, field_message):
    user_in_role("reader", username="li-xiaobai", email="old@example.test")
    users_before, records_before, groups_before = (
        User.objects.count(),
        SignInRecord.objects.count(),
        Group.objects.get(name="reader").user_set.count(),
    )

    response = _signup(client, **overrides)

    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert User.objects.count() == users_before
    assert SignInRecord.objects.count() == records_before
    assert Group.objects.get(name="reader").user_set.count() == groups_before
    assert mail.outbox == []
    assert "_auth_user_id" not in client.session


def test_weak_password_message_is_in_chinese(client):
    response = _signup(client, password1="12345678", password2="12345678")
    assert "这个密码太常见了" in response.content.decode() or "全部为数字" in response.content.decode()


def test_forged_csrf_is_refused_in_chinese_and_saves_nothing():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/signup/", GOOD)

    assert response.status_code == 403
    text = response.content.decode()
    assert "页面已过期" in text and "没有保存" in text
    assert not User.objects.filter(username="李小白").exists()


def test_signup_is_rate_limited_per_ip(client, settings):
    settings.ACCOUNTS_SIGNUP_LIMIT_PER_HOUR = 2
    for n in range(2):
        other = Client()
        response = other.post(
            "/accounts/signup/",
            {**GOOD, "username": f"user-{n}", "email": f"u{n}@example.test"},
            REMOTE_ADDR="198.51.100.9",
        )
        assert response.status_code == 302

    response = client.post(
        "/accounts/signup/", {**GOOD, "username": "user-3", "email": "u3@example.test"}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 429
    assert "注册的账号太多了" in response.content.decode()
    assert not User.objects.filter(username="user-3").exists()
    # Another address is not affected.
    assert _signup(Client()).status_code == 302


def test_signed_in_user_is_sent_from_signup_to_their_account(client, reader):
    client.force_login(reader)
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
