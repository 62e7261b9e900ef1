"""What a mute and a ban take away, enforced in the services (accounts.restrictions), and
ban evasion flagged at sign-up (moderation.services.evasion)."""

import datetime
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.restrictions import mute_refusal_message
from accounts.services import author_application_submit, user_signup
from articles import services as article_services
from articles.services_comments import comment_create
from moderation.models import AuditEntry, Case, CaseStatus
from tests.accounts.factories import user_in_role
from tests.articles.conftest import content, make_draft, make_in_review, make_published, make_submitted
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def beijing(dt) -> str:
    return timezone.localtime(dt, timezone.get_fixed_timezone(8 * 60)).strftime("%Y-%m-%d %H:%M")


# --- mutes ------------------------------------------------------------------------------------


def test_the_refusal_says_until_when_in_beijing_time_and_where_to_appeal():
    until = timezone.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)
    message = mute_refusal_message(until=until, action="发表评论")
    assert "2026-03-02 00:30（北京时间）" in message and "期间不能发表评论" in message
    assert "建议反馈" in message and "/feedback/" in message


def test_a_muted_reader_cannot_comment_and_is_told_until_when(reader, author, editor, penalise):
    article = make_published(author, editor)
    penalty = penalise(reader, 1)
    with pytest.raises(PermissionDenied) as refused:
        comment_create(article=article, author=reader, body="我想说两句")
    assert beijing(penalty.expires_at) in str(refused.value) and "/feedback/" in str(refused.value)
    assert "发表评论" in str(refused.value)


def test_a_permanent_mute_says_so_instead_of_a_date(reader, author, editor, penalise):
    article = make_published(author, editor)
    penalise(reader, 4)
    with pytest.raises(PermissionDenied, match="永久禁言") as refused:
        comment_create(article=article, author=reader, body="我想说两句")
    assert "9999" not in str(refused.value)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("create", "写文章"),
        ("save", "保存草稿"),
        ("submit", "投稿"),
        ("edit", "修改文章"),
    ],
)
def test_a_muted_author_cannot_write_save_submit_or_edit_their_own_article(author, penalise, action, expected):
    draft = make_draft(author)
    submitted = make_submitted(author, title="已经投出的稿子")
    penalty = penalise(author, 2)
    calls = {
        "create": lambda: article_services.article_create_draft(actor=author, content=content()),
        "save": lambda: article_services.article_save_draft(actor=author, article=draft, content=content(title="改")),
        "submit": lambda: article_services.article_submit(actor=author, article=draft),
        "edit": lambda: article_services.article_edit(actor=author, article=submitted, content=content(title="再改")),
    }
    with pytest.raises(PermissionDenied) as refused:
        calls[action]()
    assert f"期间不能{expected}" in str(refused.value) and beijing(penalty.expires_at) in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.title != "改"


def test_a_muted_editor_still_reviews_and_edits_other_peoples_articles(author, editor, penalise):
    # A mute limits one's own speech, not the editor's job (accounts.restrictions).
    article = make_in_review(author, editor)
    penalise(editor, 3)
    revision = article_services.article_edit(actor=editor, article=article, content=content(title="编辑改过的标题"))
    assert revision is not None
    assert article_services.article_approve(actor=editor, article=article).status == "approved"


def test_a_muted_reader_cannot_apply_to_become_an_author(reader, penalise):
    penalise(reader, 1)
    with pytest.raises(PermissionDenied, match="申请成为作者"):
        author_application_submit(
            user=reader, pen_name="小王", bio="做增长的", links="", motivation="想写私域运营的文章"
        )


def test_the_api_gives_the_same_refusal_as_a_403(reader, author, editor, penalise):
    article = make_published(author, editor)
    penalty = penalise(reader, 1)
    client = APIClient()
    client.force_authenticate(reader)
    response = client.post(f"/api/v1/articles/{article.pk}/comments/", {"body": "我想说两句"}, format="json")
    assert response.status_code == 403
    assert beijing(penalty.expires_at) in response.json()["detail"]


def test_an_ended_mute_no_longer_blocks_even_if_the_expiry_task_never_ran(reader, author, editor, penalise):
    article = make_published(author, editor)
    penalty = penalise(reader, 1, now=timezone.now() - timedelta(days=2))
    assert penalty.status == "active"  # nothing marked it ended
    assert comment_create(article=article, author=reader, body="禁言结束了").pk


# --- bans -------------------------------------------------------------------------------------


def test_a_ban_ends_the_session_on_the_very_next_request(client, reader, penalise):
    client.force_login(reader)
    assert client.get("/accounts/me/").status_code == 200
    penalise(reader, 5)
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_ban_makes_the_token_401(reader, penalise):
    token = Token.objects.create(user=reader)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200
    penalise(reader, 5)
    assert not Token.objects.filter(user=reader).exists()
    response = api.get("/api/v1/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")


def test_the_lockout_backend_does_not_let_a_banned_account_authenticate(reader, penalise):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.50")
    assert authenticate(request, username=reader.username, password=PASSWORD) == reader
    penalise(reader, 5)
    assert authenticate(request, username=reader.username, password=PASSWORD) is None


def test_signing_in_with_the_right_password_explains_the_ban(client, reader, penalise):
    penalty = penalise(reader, 5, rule="3.2", reason="批量注册账号发广告")
    response = client.post("/accounts/login/", {"username": reader.username, "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "被封禁" in page and "3.2" in page and "批量注册账号发广告" in page
    assert beijing(penalty.starts_at) in page and "/feedback/" in page


def test_a_wrong_password_on_a_banned_account_reveals_nothing(client, reader, penalise):
    penalise(reader, 5, rule="3.2")
    page = client.post("/accounts/login/", {"username": reader.username, "password": "wrong-password"}).content.decode()
    assert "用户名或密码不正确" in page and "封禁" not in page


def test_the_token_api_explains_a_ban_with_403_only_to_the_right_password(reader, penalise):
    penalise(reader, 5, rule="3.2")
    api = APIClient()
    right = api.post("/api/v1/auth/token/", {"username": reader.username, "password": PASSWORD}, format="json")
    assert right.status_code == 403 and "3.2" in right.json()["detail"] and "/feedback/" in right.json()["detail"]
    wrong = api.post("/api/v1/auth/token/", {"username": reader.username, "password": "nope-nope"}, format="json")
    assert wrong.status_code == 400 and "封禁" not in wrong.json()["detail"]


def test_an_account_deactivated_without_a_ban_gets_the_ordinary_message(client, reader):
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    page = client.post("/accounts/login/", {"username": reader.username, "password": PASSWORD}).content.decode()
    assert "用户名或密码不正确" in page and "封禁" not in page


# --- ban evasion ------------------------------------------------------------------------------


def sign_up(name: str, *, ip: str, agent: str):
    return user_signup(
        username=name, email=f"{name}@example.test", password="a-long-pass-phrase-9", ip_address=ip, user_agent=agent
    )


def test_a_sign_up_from_a_banned_accounts_ip_and_browser_opens_a_case(convention, penalise):
    # given: an account that signed up from this address and browser, then was banned
    banned = sign_up("spammer-1", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    penalise(banned, 5, rule="3.3")
    # when: a new account signs up from the same address and browser
    newcomer = sign_up("spammer-2", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    # then: moderators find a case on the newcomer saying why
    case = Case.objects.get(object_id=newcomer.pk, status=CaseStatus.OPEN, content_type__model="user")
    assert case.subject == newcomer
    assert case.evidence["flags"] == ["ban_evasion: spammer-1"]
    entry = AuditEntry.objects.get(action="case.flag_ban_evasion")
    assert entry.data["case"] == case.pk and entry.data["banned"] == ["spammer-1"]
    newcomer.refresh_from_db()
    assert newcomer.is_active  # a shared address is a reason to look, not a verdict


@pytest.mark.parametrize(
    ("ip", "agent"), [("198.51.100.23", "Other browser"), ("192.0.2.1", "Mozilla/5.0 evasion-test")]
)
def test_sharing_only_the_address_or_only_the_browser_is_not_flagged(convention, penalise, ip, agent):
    banned = sign_up("spammer-1", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    penalise(banned, 5, rule="3.3")
    sign_up("someone-else", ip=ip, agent=agent)
    assert not Case.objects.exists()


def test_a_sign_up_beside_an_account_only_muted_is_not_flagged(convention, penalise):
    muted = sign_up("talker", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    penalise(muted, 3)
    sign_up("roommate", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    assert not Case.objects.exists()


def test_the_flagged_case_appears_in_the_moderators_api_queue(convention, penalise):
    banned = sign_up("spammer-1", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    penalise(banned, 5, rule="3.3")
    newcomer = sign_up("spammer-2", ip="198.51.100.23", agent="Mozilla/5.0 evasion-test")
    api = APIClient()
    api.force_authenticate(user_in_role("moderator", username="queue-mod"))
    results = api.get("/api/v1/cases/").json()["results"]
    flagged = [c for c in results if c["target_type"] == "user" and c["target_id"] == newcomer.pk]
    assert flagged and flagged[0]["flags"] == ["ban_evasion: spammer-1"]
