"""User names longer than any account's: refused with a message before authenticate(), and
never handed to django-axes at full length (its column is 255; PostgreSQL raised, a 500)."""

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from accounts.lockout import USERNAME_MAX_LENGTH, lockout_username
from accounts.models import User

pytestmark = pytest.mark.django_db

LONG = "长" * 300


def test_the_limit_is_the_user_models_own():
    assert User._meta.get_field("username").max_length == USERNAME_MAX_LENGTH


def test_the_token_endpoint_refuses_an_over_long_user_name_with_a_message():
    response = APIClient().post("/api/v1/auth/token/", {"username": LONG, "password": "x"}, format="json")
    assert response.status_code == 400
    assert "150" in response.json()["detail"]
    assert not AccessAttempt.objects.exists()


def test_the_sign_in_form_refuses_an_over_long_user_name_before_authenticating(client):
    response = client.post("/accounts/login/", {"username": LONG, "password": "x"})
    assert response.status_code == 200  # the form again, with the page's one sign-in error
    assert "用户名或密码不正确" in response.content.decode()
    assert response.context["form"].errors["username"] == ["用户名最多 150 个字符，请检查后重新输入。"]
    assert not AccessAttempt.objects.exists()


def test_any_other_sign_in_path_gives_axes_the_name_cut_to_the_longest_real_one(client):
    # The admin's sign-in form is Django's own, without our length check.
    response = client.post("/admin/login/", {"username": LONG, "password": "x"})
    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert attempt.username == LONG[:USERNAME_MAX_LENGTH]


def test_lockout_username_reads_credentials_or_the_form():
    assert lockout_username(None, {"username": "a" * 400}) == "a" * USERNAME_MAX_LENGTH
    assert lockout_username(None, {"username": "wang"}) == "wang"
    assert lockout_username(None, {"password": "x"}) is None
