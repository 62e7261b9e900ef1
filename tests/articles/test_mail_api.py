"""/api/v1/submissions/ (PRODUCT §12): editors list and read e-mail submissions with their
decoded text, and accept, reject or mark them as spam through the same services; errors are
JSON with Chinese sentences and the right status."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts import roles
from articles.mail.ingest import submission_ingest
from articles.mail.models import Submission, SubmissionStatus
from articles.models import Article
from tests.articles.mail_builders import submission_mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = submission_ingest(raw=submission_mail(image=True), source="test")
    mail.outbox.clear()
    return Submission.objects.get(pk=result.submission_id)


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_editors_list_submissions_with_the_decoded_fields(submission, editor):
    response = api(editor).get("/api/v1/submissions/")
    assert response.status_code == 200
    (item,) = response.json()["results"]  # paginated, 20 a page
    assert item["id"] == submission.pk and item["reference"] == submission.reference
    assert item["title"] == "投稿：私域流量的三次转折" and "企业微信精细化运营" in item["text"]
    assert item["sender_email"] == "wang.xiaoming@example.cn" and item["sender_name"] == "王晓明"
    assert item["attachments"] == ["封面图.png"] and item["status"] == "new"
    assert api(editor).get(f"/api/v1/submissions/{submission.pk}/").json()["text"] == item["text"]


def test_the_list_puts_new_submissions_first_and_filters_by_status(
    submission, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        later = submission_ingest(raw=submission_mail(message_id="<later@x.cn>", subject="后来的"), source="test")
    api(editor).post(f"/api/v1/submissions/{later.submission_id}/spam/")
    rows = api(editor).get("/api/v1/submissions/").json()["results"]
    assert [row["status"] for row in rows] == ["new", "spam"]
    spam = api(editor).get("/api/v1/submissions/?status=spam").json()["results"]
    assert [row["id"] for row in spam] == [later.submission_id]


@pytest.mark.parametrize("role", [roles.READER, roles.AUTHOR, roles.MODERATOR])
def test_only_editors_may_use_the_submissions_api(submission, role):
    outsider = UserFactory(roles=[role])
    response = api(outsider).get("/api/v1/submissions/")
    assert response.status_code == 403 and response.json()["detail"] == "只有编辑可以查看和处理邮件投稿。"
    assert api(outsider).post(f"/api/v1/submissions/{submission.pk}/spam/").status_code == 403
    assert api().get("/api/v1/submissions/").status_code == 401
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NEW


def test_accept_creates_the_draft_and_e_mails_the_submitter(
    submission, editor, other_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(editor).post(
            f"/api/v1/submissions/{submission.pk}/accept/",
            {"message": "我们准备发表，稍后联系你。", "contact_editor": other_editor.username},
            format="json",
        )
    assert response.status_code == 200
    body = response.json()
    article = Article.objects.get()
    assert body["status"] == "accepted" and body["article"] == article.pk
    assert body["contact_editor"] == "editor2" and body["contact_due_at"]
    assert article.byline == "王晓明"
    (sent,) = mail.outbox
    assert "我们准备发表，稍后联系你。" in sent.body and "吴编辑" in sent.body


def test_accepting_twice_is_a_conflict_with_a_readable_message(submission, editor):
    first = api(editor).post(f"/api/v1/submissions/{submission.pk}/accept/", {"message": "好。"}, format="json")
    assert first.status_code == 200
    again = api(editor).post(f"/api/v1/submissions/{submission.pk}/accept/", {"message": "好。"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "这份投稿已经是「已采用」，不能再采用。"}
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "payload, detail",
    [
        ({}, "“message”：该字段是必填项。"),
        ({"message": "好。", "contact_editor": "nobody"}, "“contact_editor”：没有用户名为“nobody”的账号。"),
    ],
)
def test_bad_accept_input_is_a_400_naming_the_field(submission, editor, payload, detail):
    response = api(editor).post(f"/api/v1/submissions/{submission.pk}/accept/", payload, format="json")
    assert response.status_code == 400 and response.json()["detail"] == detail


def test_a_reader_cannot_be_named_the_contact(submission, editor, reader):
    response = api(editor).post(
        f"/api/v1/submissions/{submission.pk}/accept/",
        {"message": "好。", "contact_editor": reader.username},
        format="json",
    )
    assert response.status_code == 400 and "联系编辑必须是在职的编辑" in response.json()["detail"]


def test_reject_and_spam(submission, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rejected = api(editor).post(
            f"/api/v1/submissions/{submission.pk}/reject/", {"message": "选题重复。"}, format="json"
        )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_message"] == "选题重复。" and len(mail.outbox) == 1
    spam = api(editor).post(f"/api/v1/submissions/{submission.pk}/spam/")
    assert spam.status_code == 409 and "不能再标为垃圾邮件" in spam.json()["detail"]


def test_an_unknown_submission_is_a_chinese_404(editor):
    response = api(editor).post("/api/v1/submissions/999999/spam/")
    assert response.status_code == 404 and "找不到" in response.json()["detail"]
