import pytest
from django.urls import reverse

from moderation.models import AuditEntry, ScanStatus, Term
from moderation.selectors import scan_latest
from tests.factories import UserFactory
from tests.moderation.conftest import BLOCK_WORD, REVIEW_WORD, make_note

pytestmark = pytest.mark.django_db

TERM_FORM = {"term": BLOCK_WORD, "rule_code": "9.4", "action": "block", "contexts": "动物园、展览\n标本", "note": ""}


# --- lexicon screens -------------------------------------------------------


def test_the_lexicon_page_lists_searches_and_filters_terms(client, moderator, block_term, review_term):
    client.force_login(moderator)
    page = client.get(reverse("moderation:lexicon"), {"q": "紫晶"}).content.decode()
    assert BLOCK_WORD in page and REVIEW_WORD not in page
    page = client.get(reverse("moderation:lexicon"), {"rule": "9", "action": "review"}).content.decode()
    assert REVIEW_WORD in page and BLOCK_WORD not in page
    partial = client.get(
        reverse("moderation:lexicon"), {"q": "青铜"}, headers={"HX-Request": "true", "HX-Target": "term-results"}
    )
    assert "<html" not in partial.content.decode() and REVIEW_WORD in partial.content.decode()


def test_the_lexicon_page_costs_a_constant_number_of_queries(
    client, moderator, convention, django_assert_max_num_queries
):
    # The seed lexicon (hundreds of terms) is loaded: one page of 50 still costs a handful of queries.
    client.force_login(moderator)
    client.get(reverse("moderation:lexicon"))
    # 11: the header's unread-notice count is one of them.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("moderation:lexicon"), {"page": 2})
    assert len(response.context["page"].object_list) == 50


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_people_without_lexicon_permissions_get_403(client, who, request, convention):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("moderation:lexicon")).status_code == 403
    assert client.get(reverse("moderation:term-add")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("moderation:lexicon"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_a_term_first_shows_the_dry_run_then_saves_on_confirmation(
    client, moderator, convention, django_capture_on_commit_callbacks
):
    note = make_note(title="动物园新馆", body=f"今年的明星是{BLOCK_WORD}。", scan=False)
    client.force_login(moderator)
    url = reverse("moderation:term-add")
    # preview: nothing saved, the note that would be hit is shown with the word marked
    preview = client.post(url, {**TERM_FORM, "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200 and not Term.objects.filter(term=BLOCK_WORD).exists()
    assert "试运行结果" in text and f"/notes/{note.pk}/" in text and f">{BLOCK_WORD}</mark>" in text
    token = preview.context["token"]
    # confirm: saved, with the contexts split, and the note the dry run showed is rescanned
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {**TERM_FORM, "confirm": "1", "token": token})
    assert saved.status_code == 302
    term = Term.objects.get(term=BLOCK_WORD)
    assert term.contexts == ["动物园", "展览", "标本"] and term.created_by == moderator
    assert scan_latest(note).verdict == "block"
    note.refresh_from_db()
    assert note.held
    assert "1 条最近内容已重新排队扫描" in next(str(m) for m in saved.wsgi_request._messages)


def test_a_confirmation_for_different_values_runs_the_dry_run_again_instead_of_saving(client, moderator, convention):
    client.force_login(moderator)
    url = reverse("moderation:term-add")
    token = client.post(url, {**TERM_FORM, "preview": "1"}).context["token"]
    response = client.post(url, {**TERM_FORM, "action": "review", "confirm": "1", "token": token})
    assert response.status_code == 200 and "重新试运行" in response.content.decode()
    assert not Term.objects.filter(term=BLOCK_WORD).exists()


def test_a_form_error_is_shown_next_to_the_field(client, moderator, block_term):
    client.force_login(moderator)
    response = client.post(reverse("moderation:term-add"), {**TERM_FORM, "preview": "1"})
    # The same term under the same rule: the dry run runs, the save says why not.
    token = response.context["token"]
    response = client.post(reverse("moderation:term-add"), {**TERM_FORM, "confirm": "1", "token": token})
    assert response.status_code == 200 and "已经登记" in response.content.decode()


def test_editing_a_term_goes_through_the_same_dry_run(client, moderator, block_term):
    client.force_login(moderator)
    url = reverse("moderation:term-edit", args=[block_term.pk])
    assert BLOCK_WORD in client.get(url).content.decode()
    data = {**TERM_FORM, "action": "review"}
    token = client.post(url, {**data, "preview": "1"}).context["token"]
    assert client.post(url, {**data, "confirm": "1", "token": token}).status_code == 302
    block_term.refresh_from_db()
    assert block_term.action == "review" and block_term.updated_by == moderator


def test_disabling_a_term_shows_what_stops_hitting_and_releases_it_on_confirmation(
    client, moderator, block_term, django_capture_on_commit_callbacks
):
    note = make_note(body=f"今年的明星是{BLOCK_WORD}。")
    assert note.held
    client.force_login(moderator)
    url = reverse("moderation:term-toggle", args=[block_term.pk])
    page = client.get(url)
    assert "将不再命中" in page.content.decode() and f"/notes/{note.pk}/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1", "token": page.context["token"], "reason": "误伤"})
    assert response.status_code == 302
    block_term.refresh_from_db()
    note.refresh_from_db()
    assert not block_term.enabled and not note.held
    assert scan_latest(note).verdict == "allow"
    assert AuditEntry.objects.get(action="term.disable").data["reason"] == "误伤"


# --- the queue ---------------------------------------------------------------


def test_the_queue_shows_scanned_cases_with_their_findings_marked_in_place(client, moderator, block_term, review_term):
    blocked = make_note(title="动物园", body=f"前面的文字，{BLOCK_WORD}，后面的文字。", author=UserFactory())
    make_note(body=f"聊聊{REVIEW_WORD}")
    make_note(body="一段普通的内容。")
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"))
    text = response.content.decode()
    assert response.status_code == 200
    assert f'<mark class="hit" title="9.4">{BLOCK_WORD}</mark>' in text
    assert "一段普通的内容" not in text
    assert response.context["tabs"][0][2] == 2  # 全部
    blocked_first = [row.case.object_id for row in response.context["rows"]]
    assert blocked_first[0] == blocked.pk


def test_the_queue_page_costs_the_same_queries_for_3_or_15_scanned_cases(
    client, moderator, block_term, django_assert_max_num_queries
):
    for i in range(3):
        make_note(body=f"第{i}条 {BLOCK_WORD}", author=UserFactory())
    client.force_login(moderator)
    client.get(reverse("moderation:queue"))  # warm the per-process caches (content types)
    with django_assert_max_num_queries(11) as small:
        client.get(reverse("moderation:queue"))
    for i in range(12):
        make_note(body=f"又一条{i} {BLOCK_WORD}", author=UserFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("moderation:queue"))
    assert len(response.context["rows"]) == 15


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_the_queue_is_for_moderators_only(client, request, who, convention):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("moderation:queue")).status_code == 403


def test_dismissing_from_the_queue_with_htmx_answers_with_the_updated_item(client, moderator, block_term):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    record = scan_latest(note)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:scan-resolve", args=[record.pk]),
        {"outcome": "dismiss", "reason": "动物园的展品"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "已放行" in text and "<html" not in text
    note.refresh_from_db()
    assert not note.held and scan_latest(note).status == ScanStatus.DISMISSED


def test_resolving_without_a_reason_explains_why_and_changes_nothing(client, moderator, block_term):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    record = scan_latest(note)
    client.force_login(moderator)
    response = client.post(reverse("moderation:scan-resolve", args=[record.pk]), {"outcome": "dismiss", "reason": ""})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["请写明处理理由，它会记入操作记录。"]
    assert scan_latest(note).status == ScanStatus.OPEN


def test_removing_from_the_queue_removes_the_object_once_confirmed(client, moderator, block_term):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    client.force_login(moderator)
    url = reverse("moderation:scan-resolve", args=[scan_latest(note).pk])
    # Without the confirmation box (no JavaScript, or hx-confirm skipped): refused, nothing lost.
    refused = client.post(url, {"outcome": "remove", "reason": "违反公约 9.4"}, HTTP_HX_REQUEST="true")
    assert "删除前请勾选“确认删除”" in refused.content.decode() and "违反公约 9.4" in refused.content.decode()
    note.refresh_from_db()
    assert not note.removed
    response = client.post(url, {"outcome": "remove", "reason": "违反公约 9.4", "confirm": "1"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.removed


# --- the audit log -----------------------------------------------------------


def test_the_audit_page_lists_who_did_what_and_filters_by_kind(
    client, moderator, block_term, django_assert_max_num_queries
):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    client.force_login(moderator)
    client.post(
        reverse("moderation:scan-resolve", args=[scan_latest(note).pk]), {"outcome": "dismiss", "reason": "展品名"}
    )
    with django_assert_max_num_queries(8):
        page = client.get(reverse("moderation:audit"), {"prefix": "scan"})
    text = page.content.decode()
    # Each action by its Chinese name, never its code.
    assert "放行扫描结果" in text and "展品名" in text and "扫描暂扣" in text
    assert "添加词条" not in text and "scan.dismiss" not in text
    assert "添加词条" in client.get(reverse("moderation:audit")).content.decode()


def test_the_audit_page_is_for_moderators(client, editor):
    client.force_login(editor)
    assert client.get(reverse("moderation:audit")).status_code == 403


def test_a_near_duplicate_is_listed_in_the_queue_without_painting_the_whole_text(
    client, moderator, convention, settings
):
    # The near-duplicate finding is under test; the model stage (which marks a whole sentence
    # it scores, rightly so for this advert) is off.
    settings.MODERATION_MODEL_ENABLED = False
    text = "本店新到一批进口母婴用品，全场五折包邮，数量有限先到先得，需要的朋友直接私信我下单，支持七天无理由退换。"
    make_note(body=text, author=UserFactory())
    make_note(body=text, author=UserFactory())
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "与最近 1 条其他内容高度相似" in page
    assert f">{text}</mark>" not in page
