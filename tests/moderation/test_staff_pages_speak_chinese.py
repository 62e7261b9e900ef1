"""Staff screens name things in Chinese (issue 13): no detector codes (`contact`), no audit
action codes (`article.publish`), no rule number without its title, and a comment in the
queue links to its place in the article."""

import re

import pytest
from django.test import Client

from accounts import roles
from articles import services
from articles.services_comments import comment_create
from moderation.models import Case, CaseStatus, Term
from moderation.services import TermData, term_create
from tests.articles.conftest import GOOD_BODY, make_in_review, make_published
from tests.factories import UserFactory
from tests.moderation.conftest import BLOCK_WORD

pytestmark = pytest.mark.django_db

DETECTOR_CODES = ("lexicon", "contact", "link", "clickbait", "stuffing", "near_duplicate", "vocabulary")
AUDIT_CODE = re.compile(r"\b(?:article|scan|term|comment|case|penalty|report|tag|submission)\.[a-z_]+\b")


def visible_text(html: str) -> str:
    """What a person reads: no tags, attributes, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_speaks_chinese(html: str, *, rule: str = "9.4", title: str = "其他有害内容") -> str:
    text = visible_text(html)
    for code in DETECTOR_CODES:
        assert not re.search(rf"(?<![A-Za-z_]){code}(?![A-Za-z_])", text), code
    assert not AUDIT_CODE.search(text), AUDIT_CODE.search(text).group(0)
    # (The penalty proposal's reason, "条款 9.4 的严重程度为…", follows the case's 主要条款 line,
    # which names the rule in full; its wording belongs to the penalty policy's own tests.)
    checked = re.sub(rf"条款 {re.escape(rule)} 的严重程度为", "", text)
    for match in re.finditer(re.escape(rule), checked):
        after = checked[match.end() : match.end() + len(title) + 1].strip()
        assert after == title, checked[max(0, match.start() - 20) : match.end() + 20]
    return text


@pytest.fixture
def staff(seeded):
    return {
        "author": UserFactory(username="writer-zh", pen_name="林小满", roles=[roles.READER, roles.AUTHOR]),
        "editor": UserFactory(username="editor-zh", roles=[roles.READER, roles.EDITOR]),
        "moderator": UserFactory(username="mod-zh", roles=[roles.READER, roles.MODERATOR]),
        "reader": UserFactory(username="reader-zh", roles=[roles.READER]),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_review_screen_queue_case_audit_and_lexicon_speak_chinese(staff, django_capture_on_commit_callbacks):
    term_create(actor=staff["moderator"], data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    body = GOOD_BODY + f"\n\n想了解{BLOCK_WORD}，加我薇信 abc12345 详聊。"
    with django_capture_on_commit_callbacks(execute=True):
        held = make_in_review(staff["author"], staff["editor"], body=body)
        published = make_published(staff["author"], staff["editor"], title="已经发布的文章")
        services.article_set_featured(actor=staff["editor"], article=published, featured=True)
        comment = comment_create(article=published, author=staff["reader"], body=f"快来看{BLOCK_WORD}")
    editor, moderator = signed_in(staff["editor"]), signed_in(staff["moderator"])

    review = editor.get(f"/editor/articles/{held.pk}/").content.decode()
    text = assert_speaks_chinese(review)
    assert "联系方式" in text and "词库" in text  # the detectors, named

    queue = moderator.get("/moderation/").content.decode()
    assert_speaks_chinese(queue)
    assert f'href="{published.get_absolute_url()}#comment-{comment.pk}"' in queue
    assert "在文章中查看这条评论" in visible_text(queue)

    case = Case.objects.get(content_type__model="comment", object_id=comment.pk, status=CaseStatus.OPEN)
    assert_speaks_chinese(moderator.get(f"/moderation/cases/{case.pk}/").content.decode())

    audit = visible_text(moderator.get("/moderation/audit/").content.decode())
    assert_speaks_chinese(moderator.get("/moderation/audit/").content.decode())
    for label in ("发布文章", "设为推荐", "扫描暂扣", "添加词条"):
        assert label in audit

    assert_speaks_chinese(moderator.get("/moderation/lexicon/?q=" + BLOCK_WORD).content.decode())
    term = Term.objects.get(term=BLOCK_WORD)
    assert_speaks_chinese(moderator.get(f"/moderation/lexicon/{term.pk}/toggle/").content.decode())


def test_the_author_box_says_which_name_is_the_byline(staff):
    article = make_published(staff["author"], staff["editor"], byline="笔名阿满")
    text = visible_text(Client().get(article.get_absolute_url()).content.decode())
    assert "“笔名阿满”是这篇文章的署名；发布它的账号是“林小满”。" in text
    same = make_published(staff["author"], staff["editor"], byline="林小满", title="同名的一篇")
    assert "是这篇文章的署名" not in visible_text(Client().get(same.get_absolute_url()).content.decode())
