# ruff: noqa: F811 — the shared fixtures are imported by name (tests.moderation.appeal_fixtures)
"""Appeals in the pages and the API: the deciding moderator is refused everywhere, a
banned user's link works once, second and late appeals are refused with clear messages,
and /accounts/me/ lists the user's appeals."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from moderation.models import Appeal, AppealStatus, Feedback, Penalty, PenaltyStatus
from moderation.services import appeal_create
from tests.moderation.appeal_fixtures import article, cast, comment, muted, penalise  # noqa: F401

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- the deciding moderator --------------------------------------------------------------


def test_the_deciding_moderator_is_refused_in_the_page(client, cast, muted):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="请重新审核")
    client.force_login(cast["decider"])
    page = client.get(f"/moderation/appeals/{appeal.pk}/").content.decode()
    assert "你做出了原处罚决定" in page and f'action="/moderation/appeals/{appeal.pk}/decide/"' not in page
    # posting anyway changes nothing and says why
    response = client.post(
        f"/moderation/appeals/{appeal.pk}/decide/", {"outcome": "overturn", "reason": "自己撤销"}, follow=True
    )
    assert "你做出了原处罚决定" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN
    # another moderator gets the form
    client.force_login(cast["reviewer"])
    page = client.get(f"/moderation/appeals/{appeal.pk}/").content.decode()
    assert f'action="/moderation/appeals/{appeal.pk}/decide/"' in page


def test_the_deciding_moderator_is_refused_in_the_api(cast, muted):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="请重新审核")
    response = api(cast["decider"]).post(
        f"/api/v1/appeals/{appeal.pk}/decide/", {"outcome": "overturn", "reason": "自己撤销"}, format="json"
    )
    assert response.status_code == 403 and "原处罚决定" in response.json()["detail"]
    response = api(cast["reviewer"]).post(
        f"/api/v1/appeals/{appeal.pk}/decide/", {"outcome": "overturn", "reason": "证据不足"}, format="json"
    )
    assert response.status_code == 200 and response.json()["outcome"] == "overturn"
    muted.refresh_from_db()
    assert muted.status == PenaltyStatus.OVERTURNED
    # a second decision is a state conflict
    again = api(cast["reviewer"]).post(
        f"/api/v1/appeals/{appeal.pk}/decide/", {"outcome": "uphold", "reason": "改主意"}, format="json"
    )
    assert again.status_code == 409


# --- the API -----------------------------------------------------------------------------


def test_a_user_appeals_through_the_api_and_sees_only_their_own(cast, muted):
    response = api(cast["commenter"]).post("/api/v1/appeals/", {"penalty": muted.pk, "text": "误判"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["penalty"] == muted.pk and body["status"] == "open" and body["outcome"] == ""
    assert body["evidence"]["rule"] == "2.6"
    assert [a["id"] for a in api(cast["commenter"]).get("/api/v1/appeals/").json()["results"]] == [body["id"]]
    assert api(cast["reporter"]).get("/api/v1/appeals/").json()["results"] == []
    assert api(cast["reporter"]).get(f"/api/v1/appeals/{body['id']}/").status_code == 404
    assert len(api(cast["reviewer"]).get("/api/v1/appeals/").json()["results"]) == 1
    # a second appeal: 409 with the reason
    second = api(cast["commenter"]).post("/api/v1/appeals/", {"penalty": muted.pk, "text": "再来"}, format="json")
    assert second.status_code == 409 and "只能申诉一次" in second.json()["detail"]
    # someone else's penalty is not found
    other = api(cast["reporter"]).post("/api/v1/appeals/", {"penalty": muted.pk, "text": "x"}, format="json")
    assert other.status_code == 404


def test_the_conversation_through_the_api(cast, muted):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="误判")
    url = f"/api/v1/appeals/{appeal.pk}/messages/"
    assert api(cast["reviewer"]).post(url, {"text": "请说明背景"}, format="json").status_code == 201
    assert api(cast["decider"]).post(url, {"text": "我也想问"}, format="json").status_code == 403
    assert api(cast["commenter"]).post(url, {"text": "是在评价文章"}, format="json").status_code == 201
    messages = api(cast["commenter"]).get(url).json()
    assert [(m["role"], m["text"]) for m in messages] == [("moderator", "请说明背景"), ("appellant", "是在评价文章")]
    assert "author" not in messages[0]  # the appellant never learns the moderator's name


def test_a_late_appeal_through_the_api_is_refused_with_the_deadline(cast, muted):
    Penalty.objects.filter(pk=muted.pk).update(created_at=timezone.now() - timedelta(days=40))
    response = api(cast["commenter"]).post("/api/v1/appeals/", {"penalty": muted.pk, "text": "晚了"}, format="json")
    assert response.status_code == 409 and "申诉期限已过" in response.json()["detail"]


def test_feedback_through_the_api_answers_the_tracking_number(cast, article, muted):
    # a visitor's suggestion waits for the confirmation
    response = api().post(
        "/api/v1/feedback/", {"kind": "suggestion", "text": "加个夜间模式", "email": "v@example.test"}
    )
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"FK\d{8}-[A-Z2-9]{6}", body["tracking_number"]) and body["status"] == "unconfirmed"
    # a signed-in copyright complaint opens a case at once
    complaint = api(cast["reporter"]).post(
        "/api/v1/feedback/",
        {
            "kind": "copyright",
            "article": article.pk,
            "infringed": ["images"],
            "text": "封面图是我拍的",
            "rights_statement": "本人拍摄，享有著作权。",
            "rights_contact": "王五 wang@example.test",
        },
        format="json",
    )
    assert complaint.status_code == 201 and complaint.json()["case"] is not None
    # an appeal through feedback/ is the same appeal
    appeal = api(cast["commenter"]).post(
        "/api/v1/feedback/", {"kind": "appeal", "penalty": muted.pk, "text": "误判"}, format="json"
    )
    assert appeal.status_code == 201 and appeal.json()["appeal"] == Appeal.objects.get().pk
    # visitors cannot report or appeal
    assert api().post("/api/v1/feedback/", {"kind": "report", "text": "x"}).status_code == 401
    assert api().post("/api/v1/feedback/", {"kind": "bug", "text": "x"}).status_code == 400  # no e-mail
    # each problem is named by the API's own field
    missing = api(cast["reporter"]).post("/api/v1/feedback/", {"kind": "copyright", "text": "x"}, format="json")
    assert missing.status_code == 400 and "article" in missing.json()["errors"]
    missing = api(cast["reporter"]).post("/api/v1/feedback/", {"kind": "report", "rule": "2.6"}, format="json")
    assert missing.status_code == 400 and "target_id" in missing.json()["errors"]


# --- banned users --------------------------------------------------------------------------


def test_a_banned_user_appeals_through_the_emailed_link_once(client, cast, comment, django_capture_on_commit_callbacks):
    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=5)
    mail.outbox.clear()
    # the page answers the same sentence for a wrong and a right address
    same = "如果案件编号和邮箱与被处罚的账号相符"
    wrong = client.post(
        "/feedback/appeals/request-link/", {"case_number": penalty.case_id, "email": "x@example.test"}, follow=True
    )
    assert same in wrong.content.decode() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        right = client.post(
            "/feedback/appeals/request-link/",
            {"case_number": penalty.case_id, "email": cast["commenter"].email},
            follow=True,
        )
    assert same in right.content.decode() and len(mail.outbox) == 1
    link = re.search(r"http://\S+/feedback/appeals/link/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # the link shows the penalty explained, and takes the appeal
    page = client.get("/" + path)
    assert page.status_code == 200 and "条款原文" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/" + path, {"penalty": penalty.pk, "text": "我没有违规，请重新审核。"})
    assert done.status_code == 302 and "?t=" in done["Location"]
    appeal = Appeal.objects.get()
    assert appeal.via_link and appeal.user == cast["commenter"]
    # the conversation page opens with the token in the link, for a person who cannot sign in
    assert client.get(done["Location"]).status_code == 200
    assert client.get(f"/feedback/appeals/{appeal.tracking_number}/").status_code == 302  # to sign in
    # the link works once
    again = client.get("/" + path)
    assert again.status_code == 410 and "已经用过了" in again.content.decode()
    again = client.post("/" + path, {"penalty": penalty.pk, "text": "再交一次"})
    assert again.status_code == 410 and Appeal.objects.count() == 1


def test_the_page_refuses_a_second_and_a_late_appeal_with_clear_messages(client, cast, muted, comment):
    client.force_login(cast["commenter"])
    page = client.get("/feedback/?kind=appeal").content.decode()
    assert "条款原文" in page and "申诉期限" in page and "写得真烂" in page
    first = client.post("/feedback/appeals/new/", {"penalty": muted.pk, "text": "误判"}, follow=True)
    assert "申诉已提交" in first.content.decode()
    second = client.post("/feedback/appeals/new/", {"penalty": muted.pk, "text": "再来"}, follow=True)
    assert "每项处罚只能申诉一次" in second.content.decode()
    # a late one
    other = penalise(
        target=cast["commenter"], reporter=cast["reporter"], decider=cast["decider"], rule="2.1", reason="昵称不当"
    )
    Penalty.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=31))
    late = client.post("/feedback/appeals/new/", {"penalty": other.pk, "text": "晚了"}, follow=True)
    assert "申诉期限已过" in late.content.decode()
    assert Appeal.objects.count() == 1 and Feedback.objects.filter(kind="appeal").count() == 1


def test_my_account_lists_my_appeals_with_status_and_the_conversation_link(client, cast, muted):
    client.force_login(cast["commenter"])
    # before appealing: the penalty is offered with its deadline
    section = client.get("/accounts/me/").content.decode().split('id="appeals"', 1)[1].split("</section>", 1)[0]
    assert "申诉截止" in section and f"#penalty-{muted.pk}" in section
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="误判")
    section = client.get("/accounts/me/").content.decode().split('id="appeals"', 1)[1].split("</section>", 1)[0]
    assert appeal.tracking_number in section and "待审核" in section and "申诉截止" not in section
    assert f'href="/feedback/appeals/{appeal.tracking_number}/"' in section


def test_the_appeal_queue_lists_open_appeals_oldest_first_with_their_age(client, cast, muted, comment):
    older = appeal_create(user=cast["commenter"], penalty=muted, text="误判")
    Appeal.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    other = penalise(target=cast["commenter"], reporter=cast["reporter"], decider=cast["decider"], rule="2.1")
    newer = appeal_create(user=cast["commenter"], penalty=other, text="昵称没问题")
    client.force_login(cast["reviewer"])
    page = client.get("/moderation/appeals/").content.decode()
    assert page.index(older.tracking_number) < page.index(newer.tracking_number)
    assert "已等待 3 天" in page
    client.force_login(cast["reporter"])
    assert client.get("/moderation/appeals/").status_code == 403


def test_the_transparency_pages_count_appeals_and_overturns_by_category(client, cast, muted):
    from moderation.services import appeal_decide

    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="误判")
    appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="overturn", reason="证据不足")
    public = client.get("/convention/report/").content.decode()
    section = public.split('id="appeal-figures-title"', 1)[1].split("</section>", 1)[0]
    assert "2. 不友善" in section and "<td>1</td><td>1</td><td>0</td>" in section
    assert cast["commenter"].username not in section  # no personal data
    client.force_login(cast["reviewer"])
    assert 'id="appeal-figures-title"' in client.get("/moderation/stats/").content.decode()
    assert 'href="/moderation/appeals/"' in client.get("/moderation/").content.decode()
