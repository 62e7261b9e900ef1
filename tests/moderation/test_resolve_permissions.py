"""Who may resolve a scan (issue: editors could overrule moderation).

Every cell of actor × content × outcome is checked through the real service, and the
same rules through both web doors (the moderation queue's resolve URL and the editor's
review screen). Rules:
- moderators resolve everything (dismiss, escalate, remove);
- the editor who has an article in review may dismiss its findings once, with a reason,
  and may escalate; any editor may escalate an article; no editor touches an escalated
  item, a comment, or removes anything;
- readers and authors resolve nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import roles
from articles import services
from articles.models import ArticleStatus
from articles.services_comments import comment_create
from moderation.models import AuditEntry, ScanRecord, ScanStatus
from moderation.selectors import scan_latest
from moderation.services import scan_resolve, scan_resolve_outcomes
from tests.articles.conftest import GOOD_BODY, content, make_in_review, make_published
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BLOCKED_BODY = GOOD_BODY + "\n\n想赚快钱的朋友可以来我们的网上赌场看看。"
BLOCKED_COMMENT = "想赚快钱的来网上赌场，稳赚不赔。"


@pytest.fixture
def people(seeded):
    return {
        "reader": UserFactory(username="m-reader", roles=[roles.READER]),
        "author": UserFactory(username="m-author", roles=[roles.READER, roles.AUTHOR]),
        "claimant": UserFactory(username="m-claimant", roles=[roles.READER, roles.EDITOR]),
        "other_editor": UserFactory(username="m-editor2", roles=[roles.READER, roles.EDITOR]),
        "moderator": UserFactory(username="m-moderator", roles=[roles.READER, roles.MODERATOR]),
        "admin": UserFactory(username="m-admin", roles=[roles.ADMIN], is_staff=True),
    }


def held_article_in_review(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_in_review(people["author"], people["claimant"], body=BLOCKED_BODY)
    article.refresh_from_db()
    assert article.held and scan_latest(article).status == ScanStatus.OPEN
    return article


def escalated_article(people, django_capture_on_commit_callbacks):
    article = held_article_in_review(people, django_capture_on_commit_callbacks)
    scan_resolve(actor=people["moderator"], obj=article, outcome="escalate", reason="请治理组复核")
    return article


def held_comment(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_published(people["author"], people["claimant"])
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(article=article, author=people["reader"], body=BLOCKED_COMMENT)
    assert scan_latest(comment).status == ScanStatus.OPEN
    return comment


def held_published_article(people, django_capture_on_commit_callbacks):
    """A published article whose edit the scan held: its reviewer no longer has it in review."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_published(people["author"], people["claimant"])
    with django_capture_on_commit_callbacks(execute=True):
        services.article_edit(actor=people["claimant"], article=article, content=content(body=BLOCKED_BODY))
    article.refresh_from_db()
    assert article.held and article.status == ArticleStatus.PUBLISHED
    return article


TARGETS = {
    "article_in_review": held_article_in_review,
    "escalated_article": escalated_article,
    "comment": held_comment,
    "published_article": held_published_article,
}

A, D = "allowed", "denied"
# actor → target → (dismiss, escalate, remove); "-" where the outcome does not apply.
MATRIX = {
    "reader": {
        "article_in_review": (D, D, D),
        "escalated_article": (D, "-", D),
        "comment": (D, D, D),
        "published_article": (D, D, D),
    },
    "author": {
        "article_in_review": (D, D, D),
        "escalated_article": (D, "-", D),
        "comment": (D, D, D),
        "published_article": (D, D, D),
    },
    "claimant": {
        "article_in_review": (A, A, D),
        "escalated_article": (D, "-", D),
        "comment": (D, D, D),
        "published_article": (D, A, D),
    },
    "other_editor": {
        "article_in_review": (D, A, D),
        "escalated_article": (D, "-", D),
        "comment": (D, D, D),
        "published_article": (D, A, D),
    },
    "moderator": {
        "article_in_review": (A, A, A),
        "escalated_article": (A, "-", A),
        "comment": (A, A, A),
        "published_article": (A, A, A),
    },
    "admin": {
        "article_in_review": (A, A, A),
        "escalated_article": (A, "-", A),
        "comment": (A, A, A),
        "published_article": (A, A, A),
    },
}
CELLS = [
    (actor, target, outcome, expected)
    for actor, row in MATRIX.items()
    for target, cells in row.items()
    for outcome, expected in zip(("dismiss", "escalate", "remove"), cells, strict=True)
    if expected != "-"
]


@pytest.mark.parametrize(("actor", "target", "outcome", "expected"), CELLS)
def test_resolve_permission_matrix(people, django_capture_on_commit_callbacks, actor, target, outcome, expected):
    # given
    obj = TARGETS[target](people, django_capture_on_commit_callbacks)
    user = people[actor]
    before = scan_latest(obj)
    offered = scan_resolve_outcomes(actor=user, obj=obj, record=before)
    # when / then
    if expected == A:
        assert outcome in offered.allowed
        record = scan_resolve(actor=user, obj=obj, outcome=outcome, reason="理由写清楚")
        assert record.status == {"dismiss": "dismissed", "escalate": "escalated", "remove": "removed"}[outcome]
        entry = AuditEntry.objects.filter(action=f"scan.{outcome}").latest("id")
        assert entry.actor == user and entry.data["as"] == record.resolved_as
    else:
        assert outcome not in offered.allowed
        with pytest.raises(PermissionDenied):
            scan_resolve(actor=user, obj=obj, outcome=outcome, reason="理由写清楚")
        after = scan_latest(obj)
        assert (after.pk, after.status, after.held) == (before.pk, before.status, True)


def test_an_editor_may_dismiss_an_article_once_then_moderators_decide(people, django_capture_on_commit_callbacks):
    article = held_article_in_review(people, django_capture_on_commit_callbacks)
    scan_resolve(actor=people["claimant"], obj=article, outcome="dismiss", reason="引用的是反诈宣传材料")
    article.refresh_from_db()
    assert not article.held
    # the text is changed and held again: the editor's one dismissal is spent
    with django_capture_on_commit_callbacks(execute=True):
        services.article_edit(
            actor=people["claimant"], article=article, content=content(body=BLOCKED_BODY + "\n\n再加一段。")
        )
    article.refresh_from_db()
    assert article.held
    with pytest.raises(PermissionDenied, match="放行过"):
        scan_resolve(actor=people["claimant"], obj=article, outcome="dismiss", reason="还是引用")
    options = scan_resolve_outcomes(actor=people["claimant"], obj=article, record=scan_latest(article))
    assert options.allowed == ("escalate",) and "放行过" in options.refused["dismiss"]
    scan_resolve(actor=people["moderator"], obj=article, outcome="dismiss", reason="确认是反诈宣传")
    article.refresh_from_db()
    assert not article.held


def test_an_escalation_survives_an_edit_so_the_editor_cannot_dismiss_it(people, django_capture_on_commit_callbacks):
    # given: the claimant escalates a held article, then edits the text (a new scan)
    article = held_article_in_review(people, django_capture_on_commit_callbacks)
    scan_resolve(actor=people["claimant"], obj=article, outcome="escalate", reason="拿不准")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_edit(
            actor=people["claimant"], article=article, content=content(body=BLOCKED_BODY + "\n\n改了一个字。")
        )
    latest = scan_latest(article)
    assert latest.status == ScanStatus.ESCALATED and ScanRecord.objects.filter(object_id=article.pk).count() == 2
    # when / then: the editor can neither dismiss it nor approve or publish it
    with pytest.raises(PermissionDenied, match="转交社区治理"):
        scan_resolve(actor=people["claimant"], obj=article, outcome="dismiss", reason="我看没问题")
    article.refresh_from_db()
    assert article.held
    with pytest.raises(Exception, match="暂扣"):
        services.article_approve(actor=people["claimant"], article=article)


def test_an_escalated_article_edited_clean_is_released(people, django_capture_on_commit_callbacks):
    article = held_article_in_review(people, django_capture_on_commit_callbacks)
    scan_resolve(actor=people["claimant"], obj=article, outcome="escalate", reason="拿不准")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_edit(actor=people["claimant"], article=article, content=content(body=GOOD_BODY))
    article.refresh_from_db()
    assert not article.held and scan_latest(article).status == ScanStatus.CLEAR


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_queue_resolve_url_refuses_an_editor_on_a_comment(client, people, django_capture_on_commit_callbacks):
    comment = held_comment(people, django_capture_on_commit_callbacks)
    record = scan_latest(comment)
    _login(client, people["claimant"])
    response = client.post(
        reverse("moderation:scan-resolve", args=[record.pk]), {"outcome": "dismiss", "reason": "我看没问题"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    comment.refresh_from_db()
    assert record.status == ScanStatus.OPEN and comment.status == "hidden"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("只有审核员" in m for m in messages)


def test_the_queue_resolve_url_refuses_an_editor_on_an_escalated_article(
    client, people, django_capture_on_commit_callbacks
):
    article = escalated_article(people, django_capture_on_commit_callbacks)
    record = scan_latest(article)
    _login(client, people["claimant"])
    client.post(reverse("moderation:scan-resolve", args=[record.pk]), {"outcome": "dismiss", "reason": "放了吧"})
    record.refresh_from_db()
    article.refresh_from_db()
    assert record.status == ScanStatus.ESCALATED and article.held


def test_the_review_screen_offers_only_what_the_service_allows(client, people, django_capture_on_commit_callbacks):
    article = escalated_article(people, django_capture_on_commit_callbacks)
    _login(client, people["claimant"])
    page = client.get(reverse("articles:editor_review", args=[article.pk])).content.decode()
    assert "已转交社区治理" in page
    assert 'value="dismiss"' not in page and 'value="escalate"' not in page
    response = client.post(
        reverse("articles:editor_scan_resolve", args=[article.pk]), {"outcome": "dismiss", "reason": "放了吧"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.held
