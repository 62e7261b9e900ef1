import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from accounts import services
from accounts.models import ApplicationStatus, AuthorApplication
from cms.errors import StateConflict
from tests.accounts.factories import user_in_role

pytestmark = pytest.mark.django_db

APPLICATION = {
    "pen_name": "王小明",
    "bio": "在一家 SaaS 公司做了五年增长。",
    "links": "https://example.test/post/1\nhttps://example.test/post/2",
    "motivation": "想系统地写一写 B2B 增长实验的复盘。",
}


def _apply(user, **overrides):
    return services.author_application_submit(user=user, **{**APPLICATION, **overrides})


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run what the services defer until commit (the e-mails) and hand back the outbox."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run


def test_reader_applies_from_the_page(client, reader):
    client.force_login(reader)

    response = client.post("/become-author/", APPLICATION, follow=True)

    application = AuthorApplication.objects.get(user=reader)
    assert application.status == ApplicationStatus.PENDING
    assert application.link_list == ["https://example.test/post/1", "https://example.test/post/2"]
    text = response.content.decode()
    assert "申请已提交" in text and "正在审核中" in text


def test_visitor_is_asked_to_sign_in_or_sign_up(client):
    text = client.get("/become-author/").content.decode()
    assert "审核流程" in text
    assert "/accounts/login/?next=/become-author/" in text
    assert "/accounts/signup/?next=/become-author/" in text


def test_second_pending_application_is_refused_in_chinese_and_saves_nothing(client, reader):
    _apply(reader)
    with pytest.raises(ValidationError, match="已经有一份申请正在审核中"):
        _apply(reader, pen_name="另一个笔名")
    assert AuthorApplication.objects.filter(user=reader).count() == 1


def test_the_database_allows_one_pending_application_per_user(reader):
    _apply(reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorApplication.objects.create(user=reader, pen_name="重复", bio="重复", motivation="重复提交的申请内容")


def test_posting_the_form_again_while_pending_changes_nothing(client, reader):
    client.force_login(reader)
    client.post("/become-author/", APPLICATION)
    response = client.post("/become-author/", {**APPLICATION, "pen_name": "换个笔名"}, follow=True)
    assert AuthorApplication.objects.filter(user=reader).count() == 1
    assert AuthorApplication.objects.get(user=reader).pen_name == "王小明"
    assert "不需要提交申请" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pen_name": "  "}, "请填写笔名"),
        ({"motivation": "想写"}, "至少 10 个字"),
        ({"links": "example.test/my-post"}, "每行填写一个以 http:// 或 https:// 开头的链接"),
    ],
)
def test_bad_application_gets_a_clear_message(client, reader, overrides, message):
    client.force_login(reader)
    response = client.post("/become-author/", {**APPLICATION, **overrides})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuthorApplication.objects.exists()


def test_unverified_reader_must_verify_before_applying(client):
    reader = user_in_role("reader", email_verified_at=None)
    with pytest.raises(StateConflict, match="请先验证邮箱"):
        _apply(reader)
    client.force_login(reader)
    assert "重新发送验证邮件" in client.get("/become-author/").content.decode()


def test_author_cannot_apply_again(author):
    with pytest.raises(StateConflict, match="已经是作者"):
        _apply(author)


def test_approval_makes_the_reader_an_author_with_the_pen_name_and_mails_them(reader, editor, mails):
    application = _apply(reader)

    mails(lambda: services.author_application_approve(actor=editor, application=application, note="欢迎！"))

    reader.refresh_from_db()
    reader = type(reader).objects.get(pk=reader.pk)  # fresh permission cache
    assert reader.has_perm("articles.submit_article")
    assert reader.pen_name == "王小明"
    assert reader.bio == APPLICATION["bio"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reader.email]
    assert "已通过" in mail.outbox[0].subject
    assert "王小明" in mail.outbox[0].body and "欢迎！" in mail.outbox[0].body


def test_decline_needs_a_note_which_is_mailed(reader, editor, mails):
    application = _apply(reader)
    with pytest.raises(ValidationError, match="请写下未通过的原因"):
        services.author_application_decline(actor=editor, application=application, note=" ")

    mails(
        lambda: services.author_application_decline(
            actor=editor, application=application, note="希望看到更多原创作品。"
        )
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert not type(reader).objects.get(pk=reader.pk).has_perm("articles.submit_article")
    assert len(mail.outbox) == 1 and "希望看到更多原创作品。" in mail.outbox[0].body


def test_declined_reader_may_apply_again_and_sees_the_note(client, reader, editor):
    application = _apply(reader)
    services.author_application_decline(actor=editor, application=application, note="作品太少。")
    client.force_login(reader)
    assert "作品太少。" in client.get("/become-author/").content.decode()
    assert _apply(reader).status == ApplicationStatus.PENDING


@pytest.mark.parametrize("role", ["reader", "author", "moderator"])
def test_only_editors_decide_applications(reader, role):
    application = _apply(reader)
    with pytest.raises(PermissionDenied):
        services.author_application_approve(actor=user_in_role(role), application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_editor_cannot_decide_their_own_application(editor):
    application = _apply(editor)
    with pytest.raises(PermissionDenied, match="不能审核自己的申请"):
        services.author_application_approve(actor=editor, application=application)


def test_deciding_twice_is_a_state_conflict(reader, editor):
    application = _apply(reader)
    services.author_application_approve(actor=editor, application=application)
    with pytest.raises(StateConflict, match="已经处理过了"):
        services.author_application_decline(actor=editor, application=application, note="晚了一步")


def test_editor_reviews_from_the_page(client, reader, editor, mails):
    application = _apply(reader)
    client.force_login(editor)

    page = client.get("/become-author/review/").content.decode()
    assert "王小明" in page and "https://example.test/post/1" in page

    response = mails(
        lambda: client.post(f"/become-author/review/{application.pk}/", {"decision": "approve"}, follow=True)
    )
    assert "已通过 reader-wang 的申请" in response.content.decode()
    assert len(mail.outbox) == 1


def test_decline_from_the_page_without_a_note_is_refused(client, reader, editor):
    application = _apply(reader)
    client.force_login(editor)
    response = client.post(f"/become-author/review/{application.pk}/", {"decision": "decline", "note": ""}, follow=True)
    assert "请写下未通过的原因" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_applicant_can_withdraw_a_pending_application(client, reader):
    application = _apply(reader)
    client.force_login(reader)
    response = client.post(f"/become-author/withdraw/{application.pk}/", follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "申请已撤回" in response.content.decode()


def test_forged_csrf_on_the_application_form_saves_nothing(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post("/become-author/", APPLICATION)
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert not AuthorApplication.objects.exists()


def test_header_links_follow_the_role(client, reader, editor, author):
    visitor_page = client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in visitor_page
    client.force_login(reader)
    assert 'href="/become-author/"' in client.get("/").content.decode()
    client.force_login(author)
    assert 'href="/become-author/"' not in client.get("/").content.decode()
    client.force_login(editor)
    assert 'href="/become-author/review/"' in client.get("/").content.decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_decision_mail_is_sent_by_a_real_worker_after_commit(celery_worker):
    import time

    reader = user_in_role("reader", username="worker-reader")
    editor = user_in_role("editor", username="worker-editor")
    application = _apply(reader)

    services.author_application_approve(actor=editor, application=application)

    # The worker runs in a thread of this process and uses the same in-memory outbox.
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reader.email]


def test_submit_notice_tells_a_waiting_applicant_their_application_is_in_review(client, reader):
    client.force_login(reader)
    assert "了解如何成为作者" in client.get("/submit/").content.decode()
    _apply(reader)
    text = client.get("/submit/").content.decode()
    assert "你还不是本站作者" in text and "你的作者申请正在审核中" in text
    assert "mailto:" in text
