"""Text model versions: storing, the dry run, activation and rollback, the live snapshot,
training from moderators' decisions, the weekly retraining, the command and the screens.

The models are toy models trained in about a second on a few dozen invented items
(tests/moderation/text_model_fixtures.py): the *new* one flags FLAG_TEXT, the *old* one not.
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Notice, NoticeKind
from cms.errors import StateConflict
from moderation.models import (
    AuditEntry,
    PenaltyStatus,
    ScanRecord,
    TextModelDryRun,
    TextModelState,
    TextModelStatus,
    TextModelVersion,
)
from moderation.scanner.model import TextModel
from moderation.services import case_decide, report_create, scan_resolve
from moderation.services.text_models import (
    text_model_activate,
    text_model_dry_run,
    text_model_seed_load,
    text_model_version_create,
)
from moderation.services.text_training import text_model_retrain_weekly
from moderation.text_model import current_model, model_snapshot
from moderation.training_data import decision_examples
from tests.factories import UserFactory
from tests.moderation.conftest import REVIEW_WORD, make_note
from tests.moderation.text_model_fixtures import (
    FLAG_TEXT,
    activate,
    corpus,
    corpus_jsonl,
    new_toy,
    old_toy,
    store,
)


@pytest.fixture
def old_model():
    return old_toy()


@pytest.fixture
def new_model():
    return new_toy()


@pytest.fixture
def admin(db):
    return UserFactory(username="admin1", roles=[roles.ADMIN], is_staff=True)


# ---------------------------------------------------------------------------
# Storing versions


def test_a_stored_version_keeps_the_exact_bytes_and_hash_and_is_stored_once(convention, old_model):
    version, created = text_model_version_create(actor=None, model=old_model, sources=[{"kind": "seeds", "items": 1}])
    assert created and version.status == TextModelStatus.CANDIDATE
    assert bytes(version.data) == old_model.to_bytes() and version.content_hash == old_model.version_hash
    assert version.size_bytes == len(old_model.to_bytes())
    again, created_again = text_model_version_create(actor=None, model=old_model)
    assert again.pk == version.pk and not created_again
    # seed_demo (the convention fixture) stored the shipped model too: count this version's entries
    assert AuditEntry.objects.filter(action="textmodel.create", target_id=str(version.pk)).count() == 1


@pytest.mark.parametrize("role", [roles.READER, roles.AUTHOR, roles.EDITOR])
def test_people_who_are_not_moderators_cannot_store_dry_run_or_activate(convention, old_model, role):
    person = UserFactory(roles=[role])
    with pytest.raises(PermissionDenied):
        text_model_version_create(actor=person, model=old_model)
    version = store(old_model)
    with pytest.raises(PermissionDenied):
        text_model_dry_run(actor=person, version=version)
    with pytest.raises(PermissionDenied):
        text_model_activate(actor=person, version=version)
    assert not TextModelDryRun.objects.exists()
    assert TextModelVersion.objects.get(pk=version.pk).status == TextModelStatus.CANDIDATE


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.ADMIN])
def test_moderators_and_admins_activate_after_a_dry_run(convention, old_model, role):
    person = UserFactory(roles=[role])
    version = store(old_model)
    activate(version, person)
    version.refresh_from_db()
    assert version.status == TextModelStatus.ACTIVE and version.activated_by == person
    assert TextModelState.objects.get(pk=1).active_id == version.pk


# ---------------------------------------------------------------------------
# Dry run, activation, rollback


def test_the_dry_run_lists_what_the_candidate_newly_flags_and_stops_flagging(
    convention, moderator, old_model, new_model
):
    flagged = make_note(title="", body=FLAG_TEXT)
    plain = make_note(title="", body="今天去公园散步，天气很好")
    activate(store(old_model), moderator)
    candidate = store(new_model)
    run = text_model_dry_run(actor=moderator, version=candidate, limit=50)
    summary = run.summary
    assert summary["scanned"] >= 2 and summary["limit"] == 50
    assert summary["newly_flagged"] == 1 and summary["stop_flagging"] == 0
    (item,) = summary["items"]
    assert item["object_id"] == flagged.pk and item["object_id"] != plain.pk
    assert item["url"] == flagged.get_absolute_url()
    assert item["verdict_before"] == "allow" and item["verdict_after"] == "review"
    (finding,) = {(f["category"], f["sentence"]) for f in item["gained"]}
    assert finding == (2, FLAG_TEXT)
    assert all(f["probability"] >= 0.5 for f in item["gained"])
    assert summary["by_category"] == {"2": {"gained": 1, "lost": 0}}
    assert summary["baseline"] == candidate.number - 1 and summary["version"] == candidate.number
    assert set(summary["figures"]) == {"candidate", "baseline"}
    # dry-running the active version itself changes nothing
    same = text_model_dry_run(actor=moderator, version=TextModelVersion.objects.get(number=candidate.number - 1))
    assert same.summary["newly_flagged"] == 0 and same.summary["stop_flagging"] == 0


def test_activation_needs_a_dry_run_of_that_version_by_that_person(convention, moderator, admin, old_model):
    version = store(old_model)
    with pytest.raises(StateConflict, match="试运行"):
        text_model_activate(actor=moderator, version=version)
    text_model_dry_run(actor=admin, version=version)
    with pytest.raises(StateConflict, match="试运行"):
        text_model_activate(actor=moderator, version=version)  # someone else's dry run does not count
    text_model_dry_run(actor=moderator, version=version)
    text_model_activate(actor=moderator, version=version, reason="试运行没问题")
    entry = AuditEntry.objects.get(action="textmodel.activate")
    assert entry.actor == moderator and entry.data["number"] == version.number
    assert entry.data["reason"] == "试运行没问题"
    assert entry.data["dry_run"]["id"] == TextModelDryRun.objects.filter(actor=moderator).latest("id").pk
    assert "newly_flagged" in entry.data["dry_run"] and "items" not in entry.data["dry_run"]


def test_a_stale_dry_run_or_one_against_another_active_model_is_refused(
    convention, moderator, admin, old_model, new_model
):
    first, second = store(old_model), store(new_model)
    text_model_dry_run(actor=moderator, version=second)
    activate(first, admin)  # the active model changed after the moderator's dry run
    with pytest.raises(StateConflict, match="使用中的模型已经换过"):
        text_model_activate(actor=moderator, version=second)
    run = text_model_dry_run(actor=moderator, version=second)
    assert run.baseline == first
    TextModelDryRun.objects.filter(version=second).update(created_at=timezone.now() - timedelta(hours=25))
    with pytest.raises(StateConflict, match="24 小时"):
        text_model_activate(actor=moderator, version=second)


def test_rollback_to_an_earlier_version_takes_the_same_path_and_nothing_is_deleted(
    convention, moderator, old_model, new_model
):
    first, second = store(old_model), store(new_model)
    activate(first, moderator)
    activate(second, moderator)
    first.refresh_from_db()
    assert first.status == TextModelStatus.RETIRED
    with pytest.raises(StateConflict):
        text_model_activate(actor=moderator, version=first)  # a rollback needs its dry run too
    activate(first, moderator)
    assert AuditEntry.objects.filter(action="textmodel.rollback", data__number=first.number).exists()
    statuses = dict(TextModelVersion.objects.values_list("pk", "status"))
    assert statuses[first.pk] == TextModelStatus.ACTIVE and statuses[second.pk] == TextModelStatus.RETIRED
    with pytest.raises(StateConflict, match="已经在使用中"):
        text_model_activate(actor=moderator, version=first)


def test_activation_rescans_the_items_the_dry_run_found_changed(
    convention, moderator, old_model, new_model, django_capture_on_commit_callbacks
):
    note = make_note(title="", body=FLAG_TEXT)
    activate(store(old_model), moderator)
    with transaction.atomic():
        from moderation.services import scan_perform

        scan_perform(obj=note)
    assert ScanRecord.objects.get(object_id=note.pk, is_latest=True).verdict == "allow"
    candidate = store(new_model)
    text_model_dry_run(actor=moderator, version=candidate)
    with django_capture_on_commit_callbacks(execute=True):
        text_model_activate(actor=moderator, version=candidate)  # the rescan runs once this commits
    record = ScanRecord.objects.get(object_id=note.pk, is_latest=True)
    assert record.verdict == "review" and record.model_version == candidate.number
    assert record.findings.filter(detector="model", category=2).exists()


# ---------------------------------------------------------------------------
# The live snapshot


def test_the_snapshot_loads_once_per_switch_and_follows_the_active_version(
    convention, moderator, old_model, new_model, django_assert_num_queries
):
    first, second = store(old_model), store(new_model)
    activate(first, moderator)
    snapshot = model_snapshot()
    assert snapshot.number == first.number and snapshot.model.version_hash == first.content_hash
    with django_assert_num_queries(1):  # one indexed read of the state row, no reload
        assert model_snapshot() is snapshot
    activate(second, moderator)
    assert model_snapshot().number == second.number
    assert current_model().version_hash == second.content_hash


def test_settings_turn_the_stage_off_and_override_thresholds(convention, moderator, new_model, settings):
    activate(store(new_model), moderator)
    settings.MODERATION_MODEL_THRESHOLDS = {2: 0.999999}
    snapshot = model_snapshot()
    assert snapshot.thresholds[2] == pytest.approx(0.999999) and snapshot.thresholds[3] < 0.99
    note = make_note(title="", body=FLAG_TEXT)
    assert not ScanRecord.objects.get(object_id=note.pk).findings.filter(detector="model").exists()
    settings.MODERATION_MODEL_THRESHOLDS = {}
    settings.MODERATION_MODEL_ENABLED = False
    assert model_snapshot().model is None and current_model() is None


def test_seed_load_stores_the_shipped_model_once(convention):
    from moderation.scanner.model import default_model

    shipped = default_model()
    if shipped is None:
        assert text_model_seed_load() is None and not TextModelVersion.objects.exists()
        return
    # seed_demo (the convention fixture) already loaded it
    version = TextModelVersion.objects.get()
    assert version.number == 1 and version.status == TextModelStatus.ACTIVE
    assert version.content_hash == shipped.version_hash
    assert text_model_seed_load() is None
    call_command("seed_demo", "--no-demo", stdout=StringIO())
    assert TextModelVersion.objects.count() == 1


# ---------------------------------------------------------------------------
# Training examples from moderators' decisions


def test_decided_cases_become_examples_and_reports_alone_do_not(convention, moderator, review_term, reader):
    author = UserFactory(roles=[roles.READER])
    removed = make_note(title="标题一", body=f"这里写着{REVIEW_WORD}，应当删除", author=author)
    dismissed = make_note(title="", body=f"只是提到{REVIEW_WORD}这个名字", author=author)
    released = make_note(title="", body=f"{REVIEW_WORD}出现在一段引文里", author=author)
    reported = make_note(title="", body="普通的一段话，有人举报了它", author=author)
    report_create(reporter=reader, target=reported, rule_code="2.1", note="我觉得不友善")

    from moderation.models import Case

    def case_of(note):
        return Case.objects.get(object_id=note.pk, status="open")

    case_decide(actor=moderator, case=case_of(removed), action="remove", rule_code="9.4", reason="违规内容")
    case_decide(actor=moderator, case=case_of(dismissed), action="dismiss", reason="没有违规")
    with transaction.atomic():
        scan_resolve(actor=moderator, obj=released, outcome="dismiss", reason="引用，不违规")

    examples = {item.id: item for item in decision_examples()}
    by_body = {item.body: item for item in examples.values()}
    assert by_body[removed.body].categories == frozenset({9}) and by_body[removed.body].rules == ("9.4",)
    assert by_body[removed.body].title == "标题一"
    assert by_body[dismissed.body].categories == frozenset()
    assert by_body[released.body].categories == frozenset()
    assert reported.body not in by_body  # a report alone is no label
    assert all(item.source == "decisions" for item in examples.values())


def test_a_penalty_overturned_on_appeal_is_no_example(convention, moderator, review_term):
    author = UserFactory(roles=[roles.READER])
    note = make_note(title="", body=f"{REVIEW_WORD}与辱骂", author=author)
    from moderation.models import Case, Penalty

    case = case_decide(
        actor=moderator,
        case=Case.objects.get(object_id=note.pk, status="open"),
        action="penalize",
        rule_code="2.1",
        reason="辱骂",
    )
    assert [item.categories for item in decision_examples()] == [frozenset({2})]
    # the appeal service's outcome, set directly: an overturned penalty no longer counts
    Penalty.objects.filter(case=case).update(status=PenaltyStatus.OVERTURNED)
    assert decision_examples() == []


# ---------------------------------------------------------------------------
# The weekly retraining


@pytest.fixture
def toy_sources(tmp_path):
    """A small JSONL training file and the active version trained from it (as the command would)."""

    def make(*, flag_is_violation: bool):
        path = tmp_path / f"train-{flag_is_violation}.jsonl"
        path.write_text(corpus_jsonl(corpus(flag_is_violation=flag_is_violation)), "utf-8")
        return path

    return make


def _train_active(path, moderator):
    from moderation.services.text_training import file_source, load_source, save_run, train_from_sources

    source = file_source(path)
    run = save_run(train_from_sources(sources=[(source, load_source(source))], seed=0, folds=2), actor=None)
    activate(run.version, moderator)
    return run.version


def _eval_file(tmp_path, *, flag_is_violation: bool):
    path = tmp_path / f"eval-{flag_is_violation}.jsonl"
    items = [item for item in corpus(flag_is_violation=flag_is_violation, size=6)]
    path.write_text(corpus_jsonl(items), "utf-8")
    return path


def test_weekly_retraining_activates_a_no_worse_model_and_notifies_once(
    convention, moderator, review_term, toy_sources, tmp_path, settings
):
    settings.MODERATION_MODEL_FOLDS = 2
    active = _train_active(toy_sources(flag_is_violation=True), moderator)
    # Moderators removed posts of a new kind since: the retrained model learns them.
    settings.MODERATION_MODEL_EVAL_SETS = [str(_eval_file(tmp_path, flag_is_violation=True))]
    author = UserFactory(roles=[roles.READER])
    from moderation.models import Case

    note = make_note(title="", body=f"这是一条新的违规帖子，写着{REVIEW_WORD}", author=author)
    case = Case.objects.get(object_id=note.pk, status="open")
    case_decide(actor=moderator, case=case, action="remove", rule_code="3.1", reason="广告")

    outcome = text_model_retrain_weekly()
    assert outcome.outcome == "activated", outcome.reason
    version = outcome.version
    assert version.number == active.number + 1 and version.status == TextModelStatus.ACTIVE
    assert version.activated_by is None and version.week == outcome.week
    assert [s["kind"] for s in version.sources] == ["file", "decisions"]
    assert version.sources[1]["items"] == 1
    assert TextModelDryRun.objects.filter(version=version, actor__isnull=True).exists()
    entry = AuditEntry.objects.get(action="textmodel.activate", data__number=version.number)
    assert entry.actor is None and "dry_run" in entry.data
    assert Notice.objects.filter(user=moderator, kind=NoticeKind.MODEL_UPDATE).count() == 1
    # a second run the same week does nothing
    again = text_model_retrain_weekly()
    assert again.outcome == "skipped"
    assert TextModelVersion.objects.filter(number__gt=active.number).count() == 1
    assert Notice.objects.filter(user=moderator, kind=NoticeKind.MODEL_UPDATE).count() == 1


def test_weekly_retraining_keeps_a_worse_model_rejected_with_the_reason(
    convention, moderator, toy_sources, tmp_path, settings
):
    settings.MODERATION_MODEL_FOLDS = 2
    active = _train_active(toy_sources(flag_is_violation=True), moderator)
    # The training file changed under the same path: it now calls the flagged word clean,
    # while the evaluation set still says it is a violation, so the candidate is worse.
    path = toy_sources(flag_is_violation=False)
    assert active.sources[0]["path"] == str(path.with_name("train-True.jsonl").resolve())
    (path.with_name("train-True.jsonl")).write_text(path.read_text("utf-8"), "utf-8")
    settings.MODERATION_MODEL_EVAL_SETS = [str(_eval_file(tmp_path, flag_is_violation=True))]

    outcome = text_model_retrain_weekly()
    assert outcome.outcome == "rejected"
    version = outcome.version
    assert version.status == TextModelStatus.REJECTED and "macro-F1" in version.status_reason
    assert TextModelState.objects.get(pk=1).active_id == active.pk
    assert not Notice.objects.filter(kind=NoticeKind.MODEL_UPDATE).exists()
    assert text_model_retrain_weekly().outcome == "skipped"


def test_the_beat_schedule_runs_the_retraining_weekly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["retrain-text-model"]
    assert entry["task"] == "moderation.tasks.retrain_text_model"
    assert entry["schedule"].day_of_week == {1}
    from cms.celery import app

    assert "moderation.tasks.retrain_text_model" in app.tasks


# ---------------------------------------------------------------------------
# moderation_train


def _run(*args) -> str:
    out = StringIO()
    call_command("moderation_train", *args, stdout=out)
    return out.getvalue()


def test_the_command_trains_from_a_jsonl_and_a_csv_prints_figures_and_saves_a_candidate(convention, tmp_path):
    jsonl = tmp_path / "mine.jsonl"
    jsonl.write_text(corpus_jsonl(corpus(flag_is_violation=True, size=8)), "utf-8")
    csv_path = tmp_path / "comments.csv"
    rows = ["TEXT,label"] + [f"你这种人真是废物{i}，滚远点,1" for i in range(8)]
    rows += [f"谢谢分享，第{i}次看到这么好的文章,0" for i in range(8)]
    csv_path.write_text("\n".join(rows) + "\n", "utf-8")
    evaluation = tmp_path / "eval.jsonl"
    evaluation.write_text(corpus_jsonl(corpus(flag_is_violation=True, size=3)), "utf-8")
    output = tmp_path / "model.ymodel"
    text = _run(
        "--file", str(jsonl), "--file", str(csv_path), "--text-column", "TEXT", "--label-column", "label",
        "--label-map", "1=2,0=clean", "--eval", str(evaluation), "--folds", "2", "--output", str(output),
    )  # fmt: skip
    assert "交叉验证" in text and "macro-F1" in text and "评测集 eval.jsonl" in text
    assert "comments.csv：16 条（违规 8，正常 8）" in text
    version = TextModelVersion.objects.get(status=TextModelStatus.CANDIDATE)
    assert f"v{version.number}" in text
    assert [s["name"] for s in version.sources] == ["mine.jsonl", "comments.csv"]
    assert version.sources[1]["label_map"] == {"1": 2, "0": None} and version.sources[1]["items"] == 16
    assert version.sizes["items"] == 40 and version.sizes["per_category"]["2"] == 16
    assert set(version.figures) == {"cv", "eval"} and "eval.jsonl" in version.figures["eval"]
    assert TextModel.from_bytes(output.read_bytes()).version_hash == version.content_hash
    # the same data and seed again: the same model, not stored twice
    again = _run("--file", str(jsonl), "--file", str(csv_path), "--text-column", "TEXT", "--label-column", "label",
                 "--label-map", "1=2,0=clean", "--folds", "2")  # fmt: skip
    assert "没有重复保存" in again and TextModelVersion.objects.filter(status="candidate").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "至少指定一个训练来源"),
        (["--file", "/nonexistent/x.jsonl"], "找不到文件"),
        (["--file", "{csv}", "--text-column", "TEXT", "--label-column", "nope", "--label-map", "1=2,0=clean"], "nope"),
        (["--file", "{csv}", "--text-column", "TEXT", "--label-column", "label", "--label-map", "1=2"], "不在标签映射"),
        (["--file", "{csv}", "--text-column", "TEXT", "--label-column", "label", "--label-map", "1=twelve"], "1–9"),
        (["--file", "{csv}"], "--text-column"),
        (["--file", "{bad}"], "第 2 行"),
        (["--file", "{jsonl}", "--no-save"], "训练结果会丢失"),
        (["--file", "{jsonl}", "--folds", "1"], "--folds"),
        (["--file", "{jsonl}", "--output", "/nonexistent-dir/m.ymodel"], "不存在"),
    ],
)
def test_the_command_says_clearly_what_is_wrong_and_stores_nothing(convention, tmp_path, args, message):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("TEXT,label\n你好,1\n再见,0\n", "utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"body": "好", "categories": []}\n{"body": 3}\n', "utf-8")
    jsonl = tmp_path / "ok.jsonl"
    jsonl.write_text(corpus_jsonl(corpus(flag_is_violation=True, size=3)), "utf-8")
    args = [a.format(csv=csv_path, bad=bad, jsonl=jsonl) for a in args]
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not TextModelVersion.objects.filter(status="candidate").exists()


def test_the_command_trains_from_decisions_only_when_asked(convention, moderator, review_term, tmp_path):
    author = UserFactory(roles=[roles.READER])
    note = make_note(title="", body=f"{REVIEW_WORD}的广告", author=author)
    from moderation.models import Case

    case_decide(
        actor=moderator,
        case=Case.objects.get(object_id=note.pk, status="open"),
        action="remove",
        rule_code="9.4",
        reason="x",
    )
    jsonl = tmp_path / "ok.jsonl"
    jsonl.write_text(corpus_jsonl(corpus(flag_is_violation=False, size=6)), "utf-8")
    text = _run("--file", str(jsonl), "--decisions", "--folds", "2", "--no-save", "--output", str(tmp_path / "m"))
    assert "decisions：1 条（违规 1，正常 0）" in text
    assert not TextModelVersion.objects.filter(status="candidate").exists()


# ---------------------------------------------------------------------------
# Screens


def test_the_model_pages_dry_run_activate_and_roll_back(client, convention, moderator, old_model, new_model):
    make_note(title="", body=FLAG_TEXT)
    first = store(old_model)
    activate(first, moderator)
    second = store(new_model)
    n1, n2 = first.number, second.number
    client.force_login(moderator)
    page = client.get(reverse("moderation:text-models"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "模型版本" in text and f"v{second.number}" in text and "● 使用中" in text and second.short_hash in text

    page = client.get(reverse("moderation:text-model", args=[n2]))
    assert "你还没有试运行过这个版本" in page.content.decode()
    assert "启用之前请先试运行" in page.content.decode()
    refused = client.post(reverse("moderation:text-model-activate", args=[n2]), {"confirm": "yes"}, follow=True)
    assert "启用之前请先试运行" in refused.content.decode()
    assert TextModelVersion.objects.get(number=n2).status == TextModelStatus.CANDIDATE

    done = client.post(reverse("moderation:text-model-dry-run", args=[n2]), {"limit": "20"}, follow=True)
    text = done.content.decode()
    assert "试运行完成" in text and "新增标记" in text and FLAG_TEXT in text and "/notes/" in text
    unconfirmed = client.post(reverse("moderation:text-model-activate", args=[n2]), {}, follow=True)
    assert "我已核对试运行结果" in unconfirmed.content.decode()
    activated = client.post(
        reverse("moderation:text-model-activate", args=[n2]), {"confirm": "yes", "reason": "更好"}, follow=True
    )
    assert f"已启用 v{n2}" in activated.content.decode()
    assert TextModelVersion.objects.get(number=n2).status == TextModelStatus.ACTIVE

    client.post(reverse("moderation:text-model-dry-run", args=[n1]))
    page = client.get(reverse("moderation:text-model", args=[n1]))
    assert f"回滚到 v{n1}" in page.content.decode() and "不再标记" in page.content.decode()
    rolled = client.post(reverse("moderation:text-model-activate", args=[n1]), {"confirm": "yes"}, follow=True)
    assert f"已回滚到 v{n1}" in rolled.content.decode()
    assert TextModelState.objects.get(pk=1).active.number == n1


@pytest.mark.parametrize("role", [roles.READER, roles.EDITOR, roles.AUTHOR])
def test_the_model_pages_are_for_moderators_only(client, convention, old_model, role):
    n = store(old_model).number
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("moderation:text-models")).status_code == 403
    assert client.get(reverse("moderation:text-model", args=[n])).status_code == 403
    assert client.post(reverse("moderation:text-model-dry-run", args=[n])).status_code == 403
    assert client.post(reverse("moderation:text-model-activate", args=[n]), {"confirm": "yes"}).status_code == 403
    assert not TextModelDryRun.objects.exists()


def test_the_queue_links_to_the_model_pages(client, convention, moderator):
    client.force_login(moderator)
    assert reverse("moderation:text-models") in client.get(reverse("moderation:queue")).content.decode()


# ---------------------------------------------------------------------------
# API


def test_the_api_lists_dry_runs_and_activates_versions(client, convention, moderator, old_model, new_model):
    make_note(title="", body=FLAG_TEXT)
    first = activate(store(old_model), moderator)
    second = store(new_model)
    client.force_login(moderator)
    listing = client.get("/api/v1/moderation/models/").json()
    rows = {row["number"]: row for row in listing["results"]}
    assert rows[first.number]["is_active"] and not rows[second.number]["is_active"]
    assert rows[second.number]["content_hash"] == second.content_hash and rows[second.number]["status"] == "candidate"

    url = f"/api/v1/moderation/models/{second.number}/"
    refused = client.post(url + "activate/", {"reason": "直接启用"}, content_type="application/json")
    assert refused.status_code == 409 and "试运行" in json.dumps(refused.json(), ensure_ascii=False)
    run = client.post(url + "dry-run/", {"limit": 20}, content_type="application/json")
    assert run.status_code == 201
    assert run.json()["summary"]["newly_flagged"] == 1 and run.json()["baseline"] == first.number
    detail = client.get(url).json()
    assert detail["dry_run"]["id"] == run.json()["id"] and detail["activation_refusal"] == ""
    done = client.post(url + "activate/", {"reason": "试运行结果可以接受"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["is_active"] and done.json()["status"] == "active"
    assert TextModelState.objects.get(pk=1).active_id == second.pk


def test_the_api_is_for_moderators_only(client, convention, reader, old_model):
    version = store(old_model)
    assert client.get("/api/v1/moderation/models/").status_code in (401, 403)
    client.force_login(reader)
    assert client.get("/api/v1/moderation/models/").status_code == 403
    post = client.post(f"/api/v1/moderation/models/{version.number}/dry-run/", {}, content_type="application/json")
    assert post.status_code == 403 and not TextModelDryRun.objects.exists()


def test_admins_can_inspect_versions_in_the_admin_but_not_change_them(client, convention, admin, old_model):
    version = store(old_model)
    client.force_login(admin)
    assert client.get("/admin/moderation/textmodelversion/").status_code == 200
    assert client.get(f"/admin/moderation/textmodelversion/{version.pk}/change/").status_code == 200
    assert client.post(f"/admin/moderation/textmodelversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TextModelVersion.objects.filter(pk=version.pk).exists()


def test_without_evaluation_sets_the_weekly_task_compares_cross_validated_figures(
    convention, moderator, toy_sources, settings
):
    settings.MODERATION_MODEL_FOLDS = 2
    settings.MODERATION_MODEL_EVAL_SETS = ["/nonexistent/eval.jsonl"]  # a missing set is skipped
    path = toy_sources(flag_is_violation=True)
    active = _train_active(path, moderator)
    # new data since (one more clean item), and the active model's stored cross-validated
    # figures better than any retraining can be
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"id": "extra", "body": "图书馆周末开放到晚上九点", "categories": []}) + "\n")
    TextModelVersion.objects.filter(pk=active.pk).update(figures={"cv": {"macro_f1": 1.5, "clean_flagged": 0.0}})
    outcome = text_model_retrain_weekly()
    assert outcome.outcome == "rejected"
    assert "交叉验证" in outcome.version.status_reason and "macro-F1" in outcome.version.status_reason
    assert TextModelState.objects.get(pk=1).active_id == active.pk


def test_a_shipped_models_sources_become_sources_the_weekly_task_can_read_again():
    from moderation.scanner.training import COLD_TRAIN
    from moderation.services.text_models import sources_from_meta

    sources = sources_from_meta({"sources": {"clean/reviews": 3, "violations/cat2": 2, "cold-train": 10}})
    assert sources[0] == {"kind": "seeds", "name": "seeds/corpus", "items": 5}
    assert sources[1]["kind"] == "file" and sources[1]["path"] == str(COLD_TRAIN) and sources[1]["items"] == 10
    assert sources[1]["label_map"] == {"1": 2, "0": None} and sources[1]["text_column"] == "TEXT"


def test_sizes_of_a_model_without_its_items_come_from_its_own_meta(new_model):
    from moderation.services.text_models import model_sizes

    sizes = model_sizes(new_model, data=new_model.to_bytes())
    assert sizes["items"] == 36 and sizes["clean"] == 12 and sizes["bytes"] == new_model.size
    assert sizes["per_category"]["2"] == 12 and sizes["per_category"]["3"] == 12 and "2" not in sizes
