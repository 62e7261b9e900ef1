import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import SignInKind, SignInRecord
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "登录失败次数过多"


def _login(username, password, ip="192.0.2.10", ua="Mozilla/5.0 test"):
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua
    )


def _visible_text(response) -> str:
    """The page without what legitimately differs between two requests (CSRF token, echoed name)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]*"', "", text)
    return re.sub(r'id="id_username"[^>]*>', "", text)


def test_sign_in_is_recorded_with_ip_and_user_agent(reader):
    response = _login(reader.username, PASSWORD, ip="192.0.2.55", ua="Firefox/140")

    assert response.status_code == 302
    record = SignInRecord.objects.get(user=reader)
    assert (record.kind, record.ip_address, record.user_agent) == (SignInKind.LOGIN, "192.0.2.55", "Firefox/140")


def test_wrong_password_and_unknown_user_look_the_same(reader):
    wrong_password = _login(reader.username, "not-the-password")
    unknown_user = _login("no-such-user", "not-the-password")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert "用户名或密码不正确" in wrong_password.content.decode()
    assert _visible_text(wrong_password) == _visible_text(unknown_user)


def test_deactivated_account_gets_the_same_message_as_a_wrong_password(reader):
    reader.is_active = False
    reader.save()
    response = _login(reader.username, PASSWORD)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_even_from_new_addresses(reader, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(reader.username, "wrong", ip=f"192.0.2.{n + 1}")

    response = _login(reader.username, PASSWORD, ip="198.51.100.200")

    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not SignInRecord.objects.filter(user=reader).exists()


def test_repeated_failures_lock_the_address_for_every_account(reader, editor, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(f"guess-{n}", "wrong", ip="203.0.113.66")

    from_locked_address = _login(editor.username, PASSWORD, ip="203.0.113.66")
    from_elsewhere = _login(editor.username, PASSWORD, ip="203.0.113.67")

    assert from_locked_address.status_code == 429
    assert LOCKED_TEXT in from_locked_address.content.decode()
    assert from_elsewhere.status_code == 302


def test_lockout_reveals_nothing_about_whether_the_account_exists(reader, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(reader.username, "wrong", ip=f"192.0.2.{n + 1}")
        _login("nobody-here", "wrong", ip=f"192.0.2.{n + 101}")

    real = _login(reader.username, "wrong", ip="198.51.100.1")
    unknown = _login("nobody-here", "wrong", ip="198.51.100.2")

    assert real.status_code == unknown.status_code == 429
    assert _visible_text(real) == _visible_text(unknown)


def test_failures_below_the_limit_do_not_lock(reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(reader.username, "wrong")
    assert _login(reader.username, PASSWORD).status_code == 302


def test_api_token_failures_count_towards_the_same_lockout(reader, settings):
    api = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = api.post(
            "/api/v1/auth/token/", {"username": reader.username, "password": "wrong"}, REMOTE_ADDR="192.0.2.90"
        )
    assert response.status_code == 429
    assert LOCKED_TEXT in response.json()["detail"]
    # The sign-in page now refuses the right password too.
    assert _login(reader.username, PASSWORD, ip="192.0.2.91").status_code == 429


def test_test_client_login_still_works_with_axes(client, reader):
    assert client.login(username=reader.username, password=PASSWORD)
    assert client.get("/accounts/me/").status_code == 200


def test_password_reset_answers_the_same_whether_or_not_the_address_exists(reader):
    known = Client().post("/accounts/password/reset/", {"email": reader.email})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.test"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [reader.email]
    assert "重设" in mail.outbox[0].subject


def test_password_reset_link_sets_a_new_password_and_lifts_the_account_lockout(reader, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(reader.username, "wrong", ip=f"192.0.2.{n + 1}")
    Client().post("/accounts/password/reset/", {"email": reader.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)

    browser = Client()
    form_page = browser.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    new_password = "秋水共长天一色-2026"
    response = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    assert response.status_code == 302
    assert _login(reader.username, new_password, ip="198.51.100.77").status_code == 302


def test_password_change_keeps_the_user_signed_in(client, reader):
    client.force_login(reader)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "落霞与孤鹜齐飞-2026", "new_password2": "落霞与孤鹜齐飞-2026"},
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    assert client.get("/accounts/me/").status_code == 200


def test_sign_in_pages_are_in_chinese(client):
    for path, heading in [
        ("/accounts/login/", "登录"),
        ("/accounts/signup/", "注册"),
        ("/accounts/password/reset/", "找回密码"),
    ]:
        assert f"<h1>{heading}</h1>" in client.get(path).content.decode()


def test_signing_in_and_out_says_what_happened(client, author):
    response = client.post("/accounts/login/", {"username": author.username, "password": PASSWORD}, follow=True)
    assert "欢迎回来，赵三。" in response.content.decode()
    response = client.post("/accounts/logout/", follow=True)
    assert "你已退出登录。" in response.content.decode()
    assert "_auth_user_id" not in client.session
