import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cms.errors import StateConflict
from moderation import selectors
from moderation.models import AuditEntry, Finding, ScanRecord, ScanStatus
from moderation.services import scan_request, scan_resolve
from moderation.tasks import scan_object
from tests.factories import UserFactory
from tests.moderation.conftest import BLOCK_WORD, REVIEW_WORD, make_note
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db


def note_type_id() -> int:
    return ContentType.objects.get_for_model(Note).pk


def test_scan_request_queues_the_task_when_the_transaction_commits(block_term, django_capture_on_commit_callbacks):
    note = Note.objects.create(title="周末读书会", body=f"今晚聊聊{BLOCK_WORD}。")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scan_request(obj=note)
        assert not ScanRecord.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    record = ScanRecord.objects.get()
    assert (record.object_id, record.verdict, record.is_latest) == (note.pk, "block", True)


def test_running_the_task_twice_keeps_one_record_with_the_same_findings(block_term):
    note = Note.objects.create(title="标题", body=f"第一句。{BLOCK_WORD}出现了，{BLOCK_WORD}又出现了。")
    first = scan_object.delay(note_type_id(), note.pk).get()
    findings_first = list(Finding.objects.values_list("rule_code", "field", "start", "end", "match"))
    second = scan_object.delay(note_type_id(), note.pk).get()
    findings_second = list(Finding.objects.values_list("rule_code", "field", "start", "end", "match"))
    assert first["record"] == second["record"]
    assert ScanRecord.objects.count() == 1
    assert findings_first == findings_second
    assert sum(1 for f in findings_second if f[4] == BLOCK_WORD) == 2


def test_a_rescan_replaces_the_findings_after_a_lexicon_change(block_term, moderator):
    from moderation.services import term_disable

    note = make_note(body=f"内容里有{BLOCK_WORD}。")
    assert Finding.objects.filter(match=BLOCK_WORD).count() == 1
    term_disable(actor=moderator, term=block_term)
    scan_object.delay(note_type_id(), note.pk).get()
    assert ScanRecord.objects.count() == 1
    assert not Finding.objects.filter(match=BLOCK_WORD).exists()


def test_the_database_refuses_a_second_record_for_the_same_content(block_term):
    note = make_note(body=f"{BLOCK_WORD}")
    record = ScanRecord.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScanRecord.objects.create(
            content_type=record.content_type,
            object_id=note.pk,
            content_hash=record.content_hash,
            verdict="allow",
            is_latest=False,
        )


def test_finding_offsets_slice_the_original_title_and_body(block_term, review_term):
    title = f"【重磅】{REVIEW_WORD}来了"
    # Full-width letters, spaces and symbols inside the word: offsets still index the original text.
    body = "ＡＢＣ 开头。\n紫 晶·独 角 兽 出没，联系我加V信 abc12345，电话 138 0013 8000。"
    make_note(title=title, body=body)
    findings = list(Finding.objects.all())
    assert findings, "the obfuscated term and the contact details must be found"
    for finding in findings:
        source = title if finding.field == "title" else body
        assert source[finding.start : finding.end] == finding.match
    assert any(f.field == "title" and f.match == REVIEW_WORD for f in findings)
    assert any(f.field == "body" and f.rule_code == "9.4" for f in findings)


def test_a_block_verdict_holds_the_object_through_its_adapter(block_term):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    assert note.held and "9.4" in note.hold_reason
    assert selectors.is_blocked(note)
    record = selectors.scan_latest(note)
    assert (record.verdict, record.status, record.held) == ("block", ScanStatus.OPEN, True)
    assert AuditEntry.objects.filter(action="scan.hold", target_id=str(note.pk)).count() == 1


def test_a_review_verdict_queues_without_holding(review_term):
    note = make_note(body=f"聊聊{REVIEW_WORD}")
    record = selectors.scan_latest(note)
    assert (record.verdict, record.status, note.held) == ("review", ScanStatus.OPEN, False)
    assert not selectors.is_blocked(note)
    assert list(selectors.queue_records()) == [record]


def test_clean_content_is_allowed_and_stays_out_of_the_queue(block_term):
    note = make_note(title="增长复盘", body="这个季度的留存率提升了三个百分点，主要来自新手引导的改版。")
    record = selectors.scan_latest(note)
    assert (record.verdict, record.status, note.held) == ("allow", ScanStatus.CLEAR, False)
    assert not selectors.queue_records().exists()


def test_editing_blocked_content_into_clean_content_releases_the_hold(block_term):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    note.body = "改过了，现在是一段普通的产品介绍。"
    note.save()
    with transaction.atomic():
        scan_object.delay(note_type_id(), note.pk).get()
    note.refresh_from_db()
    assert not note.held and not selectors.is_blocked(note)
    assert ScanRecord.objects.filter(object_id=note.pk).count() == 2
    assert ScanRecord.objects.filter(object_id=note.pk, is_latest=True).get().verdict == "allow"


def test_dismissing_releases_the_hold_and_a_rescan_of_the_same_content_respects_it(block_term, moderator):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    scan_resolve(actor=moderator, obj=note, outcome="dismiss", reason="是动物园的新展品名字")
    note.refresh_from_db()
    assert not note.held and not selectors.is_blocked(note)
    scan_object.delay(note_type_id(), note.pk).get()
    note.refresh_from_db()
    assert not note.held
    assert selectors.scan_latest(note).status == ScanStatus.DISMISSED
    entry = AuditEntry.objects.get(action="scan.dismiss")
    assert entry.actor == moderator and entry.data["reason"] == "是动物园的新展品名字"


def test_escalating_keeps_the_hold_and_moves_it_to_the_escalated_tab(block_term, moderator):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    scan_resolve(actor=moderator, obj=note, outcome="escalate", reason="拿不准，请治理组看看")
    note.refresh_from_db()
    assert note.held and selectors.is_blocked(note)
    assert selectors.queue_counts()["escalated"] == 1
    with pytest.raises(StateConflict, match="已经转交"):
        scan_resolve(actor=moderator, obj=note, outcome="escalate", reason="再转一次")


def test_only_moderators_remove_and_the_adapter_does_the_removal(block_term, editor, moderator):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    with pytest.raises(PermissionDenied):
        scan_resolve(actor=editor, obj=note, outcome="remove", reason="删掉")
    scan_resolve(actor=moderator, obj=note, outcome="remove", reason="违反 9.4")
    note.refresh_from_db()
    assert note.removed and note.removal_reason == "违反 9.4"
    assert selectors.scan_latest(note).status == ScanStatus.REMOVED


def test_resolving_needs_a_permission_a_reason_and_something_to_resolve(block_term, reader, moderator):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    with pytest.raises(PermissionDenied):
        scan_resolve(actor=reader, obj=note, outcome="dismiss", reason="我觉得没问题")
    with pytest.raises(ValidationError, match="理由"):
        scan_resolve(actor=moderator, obj=note, outcome="dismiss", reason="   ")
    clean = make_note(body="普通内容")
    with pytest.raises(StateConflict):
        scan_resolve(actor=moderator, obj=clean, outcome="dismiss", reason="无")


def test_selectors_for_other_apps(block_term, review_term, django_assert_num_queries):
    blocked = make_note(body=f"快来看{BLOCK_WORD}")
    reviewed = make_note(body=f"聊聊{REVIEW_WORD}和{REVIEW_WORD}")
    never = Note.objects.create(body="没扫描过")
    assert selectors.scan_latest(never) is None and selectors.findings_for(never) == []
    assert [f.match for f in selectors.findings_for(blocked)] == [BLOCK_WORD]
    ContentType.objects.get_for_model(Note)  # warm the content type cache
    with django_assert_num_queries(1):
        many = selectors.findings_for_many([blocked, reviewed, never])
    assert [f.match for f in many[reviewed.pk]] == [REVIEW_WORD, REVIEW_WORD]
    assert many[never.pk] == [] and len(many[blocked.pk]) == 1


def test_the_same_long_text_from_another_account_is_flagged_as_coordinated_posting(convention):
    text = (
        "本店新到一批进口母婴用品，全场五折包邮，数量有限先到先得，"
        "需要的朋友直接私信我下单，支持货到付款和七天无理由退换。"
    )
    first = make_note(body=text, author=UserFactory())
    assert not Finding.objects.filter(record__object_id=first.pk, detector="near_duplicate").exists()
    second = make_note(body=text.replace("五折", "五折！"), author=UserFactory())
    finding = Finding.objects.get(record__object_id=second.pk, detector="near_duplicate")
    assert finding.rule_code == "3.3" and finding.detail["accounts"] == 1
    assert selectors.scan_latest(second).verdict in ("review", "block")


def test_unrelated_texts_of_other_accounts_are_not_near_duplicates(convention):
    make_note(
        body="我们用了三个月时间重做了新用户引导流程，留存率从百分之二十提高到百分之二十八。", author=UserFactory()
    )
    other = make_note(
        body="这篇文章讲的是内容营销里选题的方法：先找用户真正关心的问题，再决定用什么形式回答。", author=UserFactory()
    )
    assert not Finding.objects.filter(record__object_id=other.pk, detector="near_duplicate").exists()


def test_a_deleted_object_is_skipped_by_the_task(convention):
    note = Note.objects.create(body="很快就删掉")
    pk = note.pk
    note.delete()
    assert scan_object.delay(note_type_id(), pk).get() is None
    assert not ScanRecord.objects.exists()


def test_the_same_text_without_an_account_is_not_called_coordinated_posting(convention):
    # An e-mail submission and the draft an editor makes of it carry the same text and no account.
    text = "这是一篇通过邮件投来的稿件，讲的是中小企业如何用有限的预算做好品牌内容，编辑采用后会生成草稿。"
    make_note(body=text)
    draft = make_note(body=text)
    assert not Finding.objects.filter(record__object_id=draft.pk, detector="near_duplicate").exists()


def test_the_same_account_posting_the_same_text_three_times_is_repeated_promotion(convention):
    author = UserFactory()
    text = "新课上线，系统讲透私域运营的十二个关键动作，前一百名报名的朋友送配套工具包，报名通道见主页简介。"
    make_note(body=text, author=author)
    second = make_note(body=text, author=author)
    assert not Finding.objects.filter(record__object_id=second.pk, detector="near_duplicate").exists()
    third = make_note(body=text, author=author)
    finding = Finding.objects.get(record__object_id=third.pk, detector="near_duplicate")
    assert finding.rule_code == "3.2" and len(finding.detail["similar_records"]) == 2


def test_deleting_a_registered_object_takes_its_scans_out_of_the_queue(block_term):
    note = make_note(body=f"快来看{BLOCK_WORD}")
    assert selectors.queue_counts()["all"] == 1
    note.delete()
    assert selectors.queue_counts()["all"] == 0
    assert not Finding.objects.exists()


def test_an_unregistered_model_cannot_be_scanned_or_listed_together_with_another(convention):
    from django.contrib.auth.models import Group

    from moderation.registry import NotRegistered

    group = Group.objects.create(name="未登记的模型")
    with pytest.raises(NotRegistered):
        scan_request(obj=group)
    with pytest.raises(ValueError, match="同一种模型"):
        selectors.findings_for_many([UserFactory(), Note.objects.create(body="x")])
