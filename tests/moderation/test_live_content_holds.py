"""A `review` term never takes published content offline; a `block` term does, and a term
change that stops the hit releases what that hit alone held (issue 13)."""

import pytest
from django.db import transaction

from accounts.models import Notice
from articles.models import Article
from moderation.dry_run import LexiconChange, lexicon_dry_run
from moderation.models import AuditEntry, Case, CaseStatus, ScanStatus
from moderation.selectors import scan_latest
from moderation.services import TermData, scan_perform, scan_resolve, term_create, term_disable
from moderation.services.scans import scan_holds
from tests.articles.conftest import GOOD_BODY, make_published
from tests.factories import UserFactory
from tests.moderation.conftest import BLOCK_WORD, REVIEW_WORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(convention):
    from accounts import roles

    return {
        "author": UserFactory(username="writer", roles=[roles.READER, roles.AUTHOR]),
        "editor": UserFactory(username="desk", roles=[roles.READER, roles.EDITOR]),
        "moderator": UserFactory(username="modr", roles=[roles.READER, roles.MODERATOR]),
    }


def _published(people, word: str) -> Article:
    # Four hits of one word: the policy adds three review findings up to `block`.
    body = GOOD_BODY + "\n\n" + "，".join([f"{word}第{i}次出现" for i in range(4)]) + "。"
    return make_published(people["author"], people["editor"], body=body)


def _rescan(obj):
    with transaction.atomic():
        return scan_perform(obj=obj)


def test_the_policy_helper_holds_live_content_only_for_a_blocking_finding():
    assert scan_holds(verdict="block", actions=["review"] * 4, live=False)
    assert not scan_holds(verdict="block", actions=["review"] * 4, live=True)
    assert scan_holds(verdict="block", actions=["review", "block"], live=True)
    assert not scan_holds(verdict="review", actions=["review"], live=False)


def test_a_review_term_queues_a_published_article_and_keeps_it_online(people):
    article = _published(people, REVIEW_WORD)
    term_create(actor=people["moderator"], data=TermData(term=REVIEW_WORD, rule_code="9.4", action="review"))

    record = _rescan(article)

    assert record.verdict == "block" and record.status == ScanStatus.OPEN and not record.held
    article.refresh_from_db()
    assert not article.held and Article.objects.public().filter(pk=article.pk).exists()
    assert Case.objects.filter(object_id=article.pk, status=CaseStatus.OPEN).exists()
    assert not Notice.objects.filter(user=people["author"], kind="content_hidden").exists()


def test_the_dry_run_of_a_review_term_says_the_article_stays_online_and_groups_repeats(people):
    article = _published(people, REVIEW_WORD)
    change = LexiconChange(kind="create", data=TermData(term=REVIEW_WORD, rule_code="9.4", action="review"))

    report = lexicon_dry_run(change=change)

    (hit,) = [h for h in report.hits if h.obj == article]
    assert hit.effect == "queued" and hit.live and not hit.held
    assert report.going_offline == []
    (group,) = hit.gained_groups
    assert (group.rule, group.match, group.count) == ("9.4", REVIEW_WORD, 4)


def test_a_block_term_holds_the_published_article_and_tells_its_author(people):
    article = _published(people, BLOCK_WORD)
    change = LexiconChange(kind="create", data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    report = lexicon_dry_run(change=change)
    assert report.going_offline == [("文章", 1)]
    term_create(actor=people["moderator"], data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))

    record = _rescan(article)

    assert record.held
    article.refresh_from_db()
    assert article.held and not Article.objects.public().filter(pk=article.pk).exists()
    assert "9.4 其他有害内容" in article.hold_reason
    notice = Notice.objects.get(user=people["author"], kind="content_hidden")
    assert article.title in notice.text and "9.4 其他有害内容" in notice.text and "申诉" in notice.text
    assert notice.link == f"/submit/{article.pk}/"
    assert "。。" not in notice.text


def test_disabling_the_block_term_releases_what_it_alone_held(people):
    article = _published(people, BLOCK_WORD)
    term = term_create(actor=people["moderator"], data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    _rescan(article)

    report = lexicon_dry_run(change=LexiconChange(kind="disable", term=term))
    (hit,) = [h for h in report.hits if h.obj == article]
    assert hit.held and hit.effect == "release"
    assert report.released == [("文章", 1)]
    assert (hit.content_type_id, article.pk) in report.targets()
    term_disable(actor=people["moderator"], term=term)
    _rescan(article)

    article.refresh_from_db()
    assert not article.held and Article.objects.public().filter(pk=article.pk).exists()
    release = AuditEntry.objects.get(action="scan.release", target_id=str(article.pk))
    assert release.actor is None and release.data["lexicon"] >= 1
    assert Notice.objects.filter(user=people["author"], kind="content_released").count() == 1


def test_an_escalated_hold_survives_the_term_being_disabled(people):
    article = _published(people, BLOCK_WORD)
    term = term_create(actor=people["moderator"], data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    _rescan(article)
    scan_resolve(actor=people["moderator"], obj=article, outcome="escalate", reason="需要再看一下上下文。")

    report = lexicon_dry_run(change=LexiconChange(kind="disable", term=term))
    (hit,) = [h for h in report.hits if h.obj == article]
    assert hit.effect == "stays_held"
    term_disable(actor=people["moderator"], term=term)
    record = _rescan(article)

    article.refresh_from_db()
    assert article.held and record.held and record.status == ScanStatus.ESCALATED
    assert scan_latest(article).pk == record.pk


def test_a_review_term_still_holds_an_article_under_review(people):
    # Not public yet: the added-up verdict keeps it from approval, as before.
    from tests.articles.conftest import make_in_review

    term_create(actor=people["moderator"], data=TermData(term=REVIEW_WORD, rule_code="9.4", action="review"))
    body = GOOD_BODY + "\n\n" + "，".join([f"{REVIEW_WORD}第{i}次" for i in range(4)]) + "。"
    article = make_in_review(people["author"], people["editor"], body=body)
    _rescan(article)
    article.refresh_from_db()
    assert article.held


# The screens


def test_the_dry_run_screen_says_what_goes_offline_and_what_stays_online(people, client):
    _published(people, REVIEW_WORD)
    client.force_login(people["moderator"])
    review = client.post(
        "/moderation/lexicon/add/", {"term": REVIEW_WORD, "rule_code": "9.4", "action": "review", "preview": "1"}
    ).content.decode()
    assert "保持在线，进入治理队列等待人工复核。" in review and "这次改动将使" not in review
    assert review.count("finding-group") == 1 and "×4 处" in review
    block = client.post(
        "/moderation/lexicon/add/", {"term": BLOCK_WORD, "rule_code": "9.4", "action": "block", "preview": "1"}
    ).content.decode()
    assert "这次改动将使" not in block  # the article does not contain the block word


def test_the_dry_run_screen_warns_before_a_block_term_takes_an_article_offline(people, client):
    _published(people, BLOCK_WORD)
    client.force_login(people["moderator"])
    page = client.post(
        "/moderation/lexicon/add/", {"term": BLOCK_WORD, "rule_code": "9.4", "action": "block", "preview": "1"}
    ).content.decode()
    assert "这次改动将使 1 条已公开的文章下线" in page and "将下线：暂扣，读者看不到，直到审核员处理。" in page
