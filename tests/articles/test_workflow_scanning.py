"""Articles and the moderation scanner: submit and every later edit are scanned on commit;
a `block` verdict holds the article until an editor resolves the findings."""

import pytest
from django.core.exceptions import ValidationError

from articles import services
from articles.models import ArticleStatus
from cms.errors import StateConflict
from moderation.selectors import findings_for, scan_latest
from moderation.services import scan_resolve
from tests.articles.conftest import GOOD_BODY, content, make_draft, make_in_review
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BLOCKED_BODY = GOOD_BODY + "\n\n想赚快钱的朋友可以来我们的网上赌场看看。"


def test_submitting_scans_the_article(author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_submit(actor=author, article=make_draft(author))
    record = scan_latest(article)
    assert record is not None and record.verdict == "allow"
    article.refresh_from_db()
    assert not article.held


def test_a_blocked_submission_is_held_and_cannot_be_approved(author, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_in_review(author, editor, body=BLOCKED_BODY)
    article.refresh_from_db()
    assert article.held and "1.8" in article.hold_reason
    assert article.status == ArticleStatus.IN_REVIEW
    with pytest.raises(StateConflict, match="暂扣"):
        services.article_approve(actor=editor, article=article)
    # the editor dismisses the findings with a reason: the hold is released
    with pytest.raises(ValidationError):
        scan_resolve(actor=editor, obj=article, outcome="dismiss", reason="")
    scan_resolve(actor=editor, obj=article, outcome="dismiss", reason="引用的是反诈宣传材料，并非推广。")
    article.refresh_from_db()
    assert not article.held
    assert services.article_approve(actor=editor, article=article).status == ArticleStatus.APPROVED


def test_an_edit_after_submission_is_scanned_again(author, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_in_review(author, editor)
    first = scan_latest(article)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_edit(actor=editor, article=article, content=content(body=BLOCKED_BODY))
    second = scan_latest(article)
    assert second.pk != first.pk and second.verdict == "block"
    article.refresh_from_db()
    assert article.held


def test_review_screen_highlights_findings_in_place(client, author, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_in_review(author, editor, body=BLOCKED_BODY)
    assert any(f.match == "网上赌场" for f in findings_for(article))
    client.login(username=editor.username, password=PASSWORD)
    text = client.get(f"/editor/articles/{article.pk}/").content.decode()
    assert 'class="hit"' in text and ">网上赌场</mark>" in text
    assert "审核暂扣" in text and "放行（误报或无害）" in text
    escalation = {"outcome": "escalate", "reason": "疑似赌博推广，请审核员判断。"}
    response = client.post(f"/editor/articles/{article.pk}/scan/", escalation, follow=True)
    assert "已转交社区治理" in response.content.decode()
    article.refresh_from_db()
    assert article.held  # escalation keeps the hold until a moderator decides
