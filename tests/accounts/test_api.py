import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from accounts.models import SignInKind, SignInRecord
from tests.accounts.factories import user_in_role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_username_and_password_authenticates_later_calls(reader):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": reader.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")

    assert me.status_code == 200
    assert me.json() == {
        "username": reader.username,
        "roles": ["reader"],
        "muted_until": None,
        "mute_permanent": False,
        "banned": False,
    }


def test_getting_a_token_is_recorded_as_a_sign_in(reader):
    APIClient().post(
        "/api/v1/auth/token/",
        {"username": reader.username, "password": PASSWORD},
        format="json",
        REMOTE_ADDR="192.0.2.44",
        HTTP_USER_AGENT="yumao-cli/1.0",
    )
    record = SignInRecord.objects.get(user=reader)
    assert (record.kind, record.ip_address, record.user_agent) == (SignInKind.LOGIN, "192.0.2.44", "yumao-cli/1.0")


def test_token_endpoint_gives_one_message_for_unknown_user_and_wrong_password(reader):
    api = APIClient()
    wrong = api.post("/api/v1/auth/token/", {"username": reader.username, "password": "nope"}, format="json")
    unknown = api.post("/api/v1/auth/token/", {"username": "nobody", "password": "nope"}, format="json")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "用户名或密码不正确。"


def test_token_endpoint_needs_both_fields():
    response = APIClient().post("/api/v1/auth/token/", {"username": "someone"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_me_lists_every_role_of_the_session_user(client):
    editor = user_in_role("editor")
    client.force_login(editor)
    assert client.get("/api/v1/me/").json()["roles"] == ["reader", "editor"]


def test_me_needs_a_signed_in_caller():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_banned_account_gets_no_token(reader):
    reader.is_active = False
    reader.save()
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": reader.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_schema_documents_the_account_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/auth/token/" in schema and "/api/v1/me/" in schema
    assert "muted_until" in schema


def test_api_docs_load_swagger_ui_from_our_own_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets, "the docs page loads Swagger UI"
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} would need the internet"
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not in the static files"
