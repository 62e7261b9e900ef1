"""The report form (/report/): who may report, what it shows, and every outcome with the
note kept."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts import roles
from articles.services_comments import comment_create
from moderation.models import Report
from moderation.services import report_create
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTE = "他在评论里骂人，还用谐音字躲避。"


@pytest.fixture
def author(convention):
    return UserFactory(username="writer", pen_name="写作者", roles=[roles.READER, roles.AUTHOR])


@pytest.fixture
def article(author):
    return ArticleFactory(author=author, title="私域流量的下一步")


@pytest.fixture
def comment(article):
    commenter = UserFactory(username="commenter", pen_name="路人甲", roles=[roles.READER])
    return comment_create(article=article, author=commenter, body="说得都是废话，作者脑子进水了")


def report_url(target_type: str, target_id: int) -> str:
    return f"{reverse('moderation:report')}?target_type={target_type}&target_id={target_id}"


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_form(client, comment):
    response = client.get(report_url("comment", comment.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/report/%3Ftarget_type%3Dcomment")


def test_the_form_offers_the_rules_of_the_convention_grouped_by_category(client, reader, comment):
    client.force_login(reader)
    response = client.get(report_url("comment", comment.pk))
    text = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="2. 不友善">' in text
    assert 'value="2.6" data-text="不要使用脏话' in text
    assert "说得都是废话" in text  # what is being reported
    assert "举报评论" in text


@pytest.mark.parametrize("target_type", ["article", "comment", "user"])
def test_a_reader_reports_an_article_a_comment_or_a_user(client, reader, article, comment, target_type):
    target = {"article": article, "comment": comment, "user": article.author}[target_type]
    client.force_login(reader)
    response = client.post(report_url(target_type, target.pk), {"rule": "2.6", "note": NOTE})
    text = response.content.decode()
    assert response.status_code == 200
    assert "已收到你的举报" in text and "审核员处理后会在站内通知里告诉你结果" in text
    report = Report.objects.get(reporter=reader)
    assert (report.object_id, report.rule_code, report.note) == (target.pk, "2.6", NOTE)
    assert report.case.is_open


def test_without_a_rule_the_form_says_so_and_keeps_the_note(client, reader, comment):
    client.force_login(reader)
    response = client.post(report_url("comment", comment.pk), {"rule": "", "note": NOTE})
    text = response.content.decode()
    assert response.status_code == 400
    assert "请选择举报理由" in text and NOTE in text
    assert not Report.objects.exists()


def test_a_rule_outside_the_convention_is_refused_and_the_note_kept(client, reader, comment):
    client.force_login(reader)
    response = client.post(report_url("comment", comment.pk), {"rule": "12.1", "note": NOTE})
    assert response.status_code == 400
    assert NOTE in response.content.decode()
    assert not Report.objects.exists()


def test_a_note_longer_than_500_characters_is_refused_and_kept(client, reader, comment):
    client.force_login(reader)
    note = "很" * 501
    response = client.post(report_url("comment", comment.pk), {"rule": "2.6", "note": note})
    text = response.content.decode()
    assert response.status_code == 400
    assert "补充说明最多 500 字" in text and note in text


def test_reporting_twice_is_explained_before_and_after_posting(client, reader, comment):
    report_create(reporter=reader, target=comment, rule_code="2.6")
    client.force_login(reader)
    page = client.get(report_url("comment", comment.pk)).content.decode()
    assert "你已经举报过这条内容" in page and 'name="rule"' not in page
    response = client.post(report_url("comment", comment.pk), {"rule": "2.7", "note": NOTE})
    assert response.status_code == 400
    text = response.content.decode()
    assert "你已经举报过这条内容" in text and NOTE in text
    assert Report.objects.count() == 1


def test_one_cannot_report_ones_own_comment(client, comment):
    client.force_login(comment.author)
    page = client.get(report_url("comment", comment.pk)).content.decode()
    assert "不能举报自己发布的内容" in page and 'name="rule"' not in page
    response = client.post(report_url("comment", comment.pk), {"rule": "2.6"})
    assert response.status_code == 400
    assert not Report.objects.exists()


@override_settings(MODERATION_REPORTS_PER_HOUR=1)
def test_too_many_reports_answer_429_with_retry_after_and_keep_the_note(client, reader, article, comment):
    client.force_login(reader)
    assert client.post(report_url("article", article.pk), {"rule": "7.1"}).status_code == 200
    response = client.post(report_url("comment", comment.pk), {"rule": "2.6", "note": NOTE})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    text = response.content.decode()
    assert "举报太频繁了" in text and NOTE in text
    assert Report.objects.count() == 1


def test_with_htmx_the_form_comes_as_a_dialog_and_the_answer_replaces_its_box(client, reader, comment):
    client.force_login(reader)
    dialog = client.get(report_url("comment", comment.pk), headers={"HX-Request": "true"}).content.decode()
    assert dialog.startswith('<dialog class="report-dialog"') and "<html" not in dialog
    assert 'hx-post="/report/?target_type=comment&amp;target_id=' in dialog
    answer = client.post(report_url("comment", comment.pk), {"rule": "2.6"}, headers={"HX-Request": "true"})
    text = answer.content.decode()
    assert answer.status_code == 200 and text.startswith('<div class="report-box"')
    assert "已收到你的举报" in text


def test_an_unknown_or_missing_target_is_404(client, reader, comment):
    client.force_login(reader)
    assert client.get(report_url("comment", comment.pk + 1000)).status_code == 404
    assert client.get(report_url("scan", comment.pk)).status_code == 404
    assert client.get(f"{reverse('moderation:report')}?target_type=comment&target_id=abc").status_code == 404


def test_a_report_without_the_csrf_token_is_refused(reader, comment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(report_url("comment", comment.pk), {"rule": "2.6"})
    assert response.status_code == 403
    assert not Report.objects.exists()


# --- the report links on the public pages ---------------------------------------


def test_visitors_see_sign_in_links_that_lead_back_to_the_report_form(client, article, comment):
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/accounts/login/?next=/report/%3Ftarget_type%3Darticle%26target_id%3D{article.pk}" in page
    assert f"/accounts/login/?next=/report/%3Ftarget_type%3Dcomment%26target_id%3D{comment.pk}" in page
    assert 'hx-get="/report/' not in page


def test_signed_in_readers_get_report_dialogs_but_not_on_their_own_comment(client, article, comment):
    client.force_login(comment.author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'hx-get="/report/?target_type=article&amp;target_id={article.pk}"' in page
    assert f"target_type=comment&amp;target_id={comment.pk}" not in page
    assert '<div id="report-slot"></div>' in page


def test_the_author_page_has_a_report_link_for_others_only(client, reader, article):
    url = reverse("articles:author", kwargs={"username": article.author.username})
    client.force_login(reader)
    assert f"target_type=user&amp;target_id={article.author.pk}" in client.get(url).content.decode()
    client.force_login(article.author)
    assert "target_type=user" not in client.get(url).content.decode()
