import pytest

from moderation.api import SCAN_BODY_MAX

pytestmark = pytest.mark.django_db
URL = "/api/v1/moderation/scan/"


def test_moderators_get_the_scanner_json_with_original_offsets(client, moderator, convention):
    client.force_login(moderator)
    body = "  前面有空格。加我 V 信 abc12345，电话13800138000  "
    response = client.post(URL, {"title": "", "body": body}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["verdict"] in ("review", "block") and data["findings"]
    for finding in data["findings"]:
        assert body[finding["start"] : finding["end"]] == finding["match"]


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_people_who_do_not_moderate_get_403(client, request, who, convention):
    client.force_login(request.getfixturevalue(who))
    response = client.post(URL, {"body": "随便"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"]


def test_anonymous_callers_are_refused(client):
    assert client.post(URL, {"body": "随便"}, content_type="application/json").status_code in (401, 403)


@pytest.mark.parametrize(
    "payload",
    [{}, {"title": "x"}, {"body": "x" * (SCAN_BODY_MAX + 1)}, {"title": "标" * 201, "body": "x"}, {"body": 5 * [1]}],
)
def test_bad_input_gets_400_with_a_readable_message(client, moderator, payload, convention):
    client.force_login(moderator)
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_the_endpoint_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert URL in response.json()["paths"]
