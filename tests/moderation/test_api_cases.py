"""The moderation API (PRODUCT §12): convention/, reports/, cases/ with decide, penalties/
with lift — every endpoint as every role, through real HTTP and the real services."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.services_comments import comment_create
from moderation.models import Case, CaseStatus, Penalty, PenaltyStatus, Report, Rule
from moderation.services import penalty_apply, report_create
from tests.accounts.factories import user_in_role
from tests.articles.conftest import make_published

pytestmark = pytest.mark.django_db

ROLES = ["reader", "author", "editor", "moderator", "admin"]


@pytest.fixture
def world(seeded):
    people = {role: user_in_role(role, username=f"api-{role}") for role in ROLES}
    people["commenter"] = user_in_role("reader", username="api-commenter")
    people["reporter2"] = user_in_role("reader", username="api-reporter2")
    article = make_published(people["author"], people["editor"], title="私域运营的三个误区")
    comment = comment_create(article=article, author=people["commenter"], body="写得太烂了，作者就是个骗子。")
    return {**people, "article": article, "comment": comment}


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def rule(code: str) -> Rule:
    return Rule.objects.select_related("convention").get(convention__is_current=True, code=code)


def open_case(world) -> Case:
    report_create(reporter=world["reader"], target=world["comment"], rule_code="2.6", note="人身攻击")
    return Case.objects.get(status=CaseStatus.OPEN)


# --- anonymous: 401 with WWW-Authenticate everywhere but the public convention -------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/reports/"),
        ("post", "/api/v1/reports/"),
        ("get", "/api/v1/cases/"),
        ("get", "/api/v1/cases/1/"),
        ("post", "/api/v1/cases/1/decide/"),
        ("get", "/api/v1/penalties/"),
        ("get", "/api/v1/penalties/1/"),
        ("post", "/api/v1/penalties/1/lift/"),
    ],
)
def test_anonymous_callers_get_401_with_www_authenticate(world, method, path):
    response = getattr(client_for(), method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert "登录" in response.json()["detail"] or "身份" in response.json()["detail"]


# --- convention -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_convention_in_force_is_public_with_its_categories_and_rules(world, role):
    response = client_for(world[role] if role else None).get("/api/v1/convention/")
    assert response.status_code == 200
    data = response.json()
    current = rule("3.4").convention
    assert data["version"] == current.version
    assert [c["number"] for c in data["categories"]] == list(range(1, 10))
    spam = next(c for c in data["categories"] if c["number"] == 3)
    codes = [r["code"] for r in spam["rules"]]
    assert "3.4" in codes and all(code.startswith("3.") for code in codes)
    assert {"code", "title", "text", "severity"} <= set(spam["rules"][0])


def test_the_convention_is_404_in_chinese_before_it_is_loaded(db):
    response = client_for().get("/api/v1/convention/")
    assert response.status_code == 404 and "公约" in response.json()["detail"]


# --- reports --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reports_a_comment_and_sees_it_in_their_own_list(world, role):
    response = client_for(world[role]).post(
        "/api/v1/reports/",
        {"target_type": "comment", "target_id": world["comment"].pk, "rule": "2.6", "note": "辱骂"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["target_type"] == "comment" and body["target_id"] == world["comment"].pk
    assert body["rule"] == "2.6" and body["status"] == "open" and body["case"]
    mine = client_for(world[role]).get("/api/v1/reports/").json()
    assert [r["id"] for r in mine["results"]] == [body["id"]]
    # nobody else sees it in their list
    assert client_for(world["reporter2"]).get("/api/v1/reports/").json()["results"] == []


def test_reports_of_an_article_and_a_user_name_their_target_type(world):
    client = client_for(world["reader"])
    article = client.post(
        "/api/v1/reports/", {"target_type": "article", "target_id": world["article"].pk, "rule": "7.1"}, format="json"
    )
    user = client.post(
        "/api/v1/reports/", {"target_type": "user", "target_id": world["commenter"].pk, "rule": "5.3"}, format="json"
    )
    assert article.status_code == 201 and article.json()["target_type"] == "article"
    assert user.status_code == 201 and user.json()["target_type"] == "user"


@pytest.mark.parametrize(
    ("payload", "status", "fragment"),
    [
        ({"target_type": "comment", "target_id": 999999, "rule": "2.6"}, 404, "找不到"),
        ({"target_type": "note", "target_id": 1, "rule": "2.6"}, 400, "target_type"),
        ({"target_type": "comment", "rule": "2.6"}, 400, "target_id"),
        ({"target_type": "comment", "target_id": "{comment}", "rule": "99.9"}, 400, "现行社区公约"),
    ],
)
def test_bad_reports_are_refused_with_a_readable_message(world, payload, status, fragment):
    payload = {k: (world["comment"].pk if v == "{comment}" else v) for k, v in payload.items()}
    response = client_for(world["reader"]).post("/api/v1/reports/", payload, format="json")
    assert response.status_code == status
    assert fragment in response.json()["detail"]


def test_a_second_open_report_of_the_same_target_is_400_and_ones_own_content_cannot_be_reported(world):
    payload = {"target_type": "comment", "target_id": world["comment"].pk, "rule": "2.6"}
    assert client_for(world["reader"]).post("/api/v1/reports/", payload, format="json").status_code == 201
    again = client_for(world["reader"]).post("/api/v1/reports/", payload, format="json")
    assert again.status_code == 400 and "已经举报过" in again.json()["detail"]
    own = client_for(world["commenter"]).post("/api/v1/reports/", payload, format="json")
    assert own.status_code == 400 and "自己" in own.json()["detail"]


def test_reporting_too_often_is_429_with_retry_after(world, settings):
    settings.MODERATION_REPORTS_PER_HOUR = 1
    client = client_for(world["reader"])
    first = {"target_type": "comment", "target_id": world["comment"].pk, "rule": "2.6"}
    assert client.post("/api/v1/reports/", first, format="json").status_code == 201
    response = client.post(
        "/api/v1/reports/", {"target_type": "article", "target_id": world["article"].pk, "rule": "7.1"}, format="json"
    )
    assert response.status_code == 429 and "频繁" in response.json()["detail"]


# --- cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reader", "author", "editor"])
def test_cases_are_403_for_everyone_but_moderators(world, role):
    case = open_case(world)
    client = client_for(world[role])
    for response in (
        client.get("/api/v1/cases/"),
        client.get(f"/api/v1/cases/{case.pk}/"),
        client.post(f"/api/v1/cases/{case.pk}/decide/", {"action": "dismiss", "reason": "没问题"}, format="json"),
    ):
        assert response.status_code == 403 and "审核员" in response.json()["detail"]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_list_open_cases_by_priority_with_reports_and_proposed_step(world, role):
    # given: one case with two reporters on the comment, one with a single report on the article
    open_case(world)
    report_create(reporter=world["reporter2"], target=world["comment"], rule_code="2.6")
    report_create(reporter=world["reader"], target=world["article"], rule_code="7.1")
    # when
    response = client_for(world[role]).get("/api/v1/cases/")
    # then
    assert response.status_code == 200
    results = response.json()["results"]
    assert [c["target_type"] for c in results] == ["comment", "article"]
    priorities = [c["priority"] for c in results]
    assert priorities == sorted(priorities, reverse=True)
    first = results[0]
    assert first["target_id"] == world["comment"].pk and first["status"] == "open"
    assert [r["reporter"] for r in first["reports"]] == ["api-reader", "api-reporter2"]
    assert first["findings"] == [] and first["subject"] == "api-commenter"
    assert first["proposed_step"] == 1  # 2.6 is medium: base 1, no history, no aggravation


def test_the_case_detail_has_the_evidence_and_the_reasons_of_the_proposal(world):
    case = open_case(world)
    response = client_for(world["moderator"]).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["evidence"]["text"] == world["comment"].body
    assert data["proposed_step"] == 1 and any("2.6" in reason for reason in data["proposal_reasons"])


def test_a_moderator_penalises_through_decide_and_a_second_decision_is_409(world):
    case = open_case(world)
    client = client_for(world["moderator"])
    response = client.post(
        f"/api/v1/cases/{case.pk}/decide/",
        {"action": "penalize", "rule": "2.6", "reason": "辱骂他人", "aggravations": []},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "decided" and response.json()["step"] == 1
    penalty = Penalty.objects.get()
    assert penalty.user == world["commenter"] and penalty.step == 1 and penalty.status == PenaltyStatus.ACTIVE
    again = client.post(f"/api/v1/cases/{case.pk}/decide/", {"action": "dismiss", "reason": "再来"}, format="json")
    assert again.status_code == 409 and "已经处理过" in again.json()["detail"]
    assert Penalty.objects.count() == 1


def test_decide_refuses_bad_input_and_a_different_step_without_a_reason(world):
    case = open_case(world)
    client = client_for(world["moderator"])
    bad = client.post(f"/api/v1/cases/{case.pk}/decide/", {"action": "burn", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "action" in bad.json()["errors"]
    other_step = {"action": "penalize", "rule": "2.6", "reason": "辱骂", "step": 3}
    no_reason = client.post(f"/api/v1/cases/{case.pk}/decide/", other_step, format="json")
    assert no_reason.status_code == 400 and "理由" in no_reason.json()["detail"]
    assert client.get("/api/v1/cases/999999/").status_code == 404
    assert Penalty.objects.count() == 0


def test_dismissing_rejects_the_reports(world):
    case = open_case(world)
    response = client_for(world["moderator"]).post(
        f"/api/v1/cases/{case.pk}/decide/", {"action": "dismiss", "reason": "正常的批评"}, format="json"
    )
    assert response.status_code == 200 and response.json()["decision"] == "dismiss"
    assert Report.objects.get().status == "rejected"
    mine = client_for(world["reader"]).get("/api/v1/reports/").json()["results"]
    assert mine[0]["status"] == "rejected"


# --- penalties ------------------------------------------------------------------------------


def apply(world, user, step, **kwargs) -> Penalty:
    return penalty_apply(actor=world["moderator"], user=user, step=step, rule=rule("2.6"), reason="辱骂他人", **kwargs)


@pytest.mark.parametrize("role", ["reader", "author", "editor"])
def test_a_user_sees_only_their_own_penalties(world, role):
    own = apply(world, world[role], 1)
    apply(world, world["commenter"], 2)
    response = client_for(world[role]).get("/api/v1/penalties/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [p["id"] for p in results] == [own.pk]
    assert results[0]["user"] == world[role].username and results[0]["step"] == 1 and results[0]["rule"] == "2.6"
    assert results[0]["status"] == "active" and results[0]["expires_at"]
    other = Penalty.objects.exclude(pk=own.pk).get()
    assert client_for(world[role]).get(f"/api/v1/penalties/{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_see_every_penalty_and_filter_by_user(world, role):
    apply(world, world["reader"], 1)
    permanent = apply(world, world["commenter"], 4)
    client = client_for(world[role])
    assert {p["user"] for p in client.get("/api/v1/penalties/").json()["results"]} == {"api-reader", "api-commenter"}
    filtered = client.get("/api/v1/penalties/", {"user": "api-commenter"}).json()["results"]
    assert [p["id"] for p in filtered] == [permanent.pk] and filtered[0]["expires_at"] is None


@pytest.mark.parametrize("role", ["reader", "author", "editor"])
def test_lifting_is_403_for_non_moderators_even_their_own_penalty(world, role):
    own = apply(world, world[role], 2)
    response = client_for(world[role]).post(f"/api/v1/penalties/{own.pk}/lift/", {"reason": "我觉得冤"}, format="json")
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == PenaltyStatus.ACTIVE


def test_a_moderator_lifts_a_mute_with_a_reason_and_a_second_lift_is_409(world):
    penalty = apply(world, world["commenter"], 2)
    client = client_for(world["moderator"])
    missing = client.post(f"/api/v1/penalties/{penalty.pk}/lift/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    response = client.post(f"/api/v1/penalties/{penalty.pk}/lift/", {"reason": "误判，已核实"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "lifted"
    assert response.json()["lift_reason"] == "误判，已核实"
    again = client.post(f"/api/v1/penalties/{penalty.pk}/lift/", {"reason": "再解除"}, format="json")
    assert again.status_code == 409 and "已经结束或解除" in again.json()["detail"]
    me = client_for(world["commenter"]).get("/api/v1/me/").json()
    assert me["muted_until"] is None


# --- me/ -------------------------------------------------------------------------------------


def test_me_answers_the_mute_end_and_a_permanent_mute(world):
    apply(world, world["reader"], 2)
    me = client_for(world["reader"]).get("/api/v1/me/").json()
    until = timezone.datetime.fromisoformat(me["muted_until"])
    assert timedelta(days=6, hours=23) < until - timezone.now() <= timedelta(days=7)
    assert until.utcoffset() == timedelta(hours=8)  # shown in Beijing time
    assert me["mute_permanent"] is False and me["banned"] is False
    apply(world, world["reader"], 4)
    me = client_for(world["reader"]).get("/api/v1/me/").json()
    assert me["mute_permanent"] is True and me["muted_until"].startswith("9999-12-31")


def test_the_schema_documents_the_moderation_endpoints(world):
    schema = client_for().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/convention/",
        "/api/v1/reports/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/decide/",
        "/api/v1/penalties/",
        "/api/v1/penalties/{id}/lift/",
    ):
        assert path in paths, path
    assert "409" in paths["/api/v1/cases/{id}/decide/"]["post"]["responses"]
    assert "mute_permanent" in schema["components"]["schemas"]["MeOutput"]["properties"]
