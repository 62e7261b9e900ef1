"""Browser: a moderator dry-runs and activates a text model version on a phone."""

import pytest

from moderation.models import TextModelStatus, TextModelVersion
from tests.e2e.test_moderation import moderator, moderator_page, overflow  # noqa: F401 (fixtures)
from tests.moderation.conftest import make_note
from tests.moderation.text_model_fixtures import FLAG_TEXT, activate, new_toy, old_toy, store

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moderator_dry_runs_and_activates_a_model_on_a_phone(moderator_page, live_server, moderator):  # noqa: F811
    page = moderator_page
    make_note(title="", body=FLAG_TEXT, scan=False)
    activate(store(old_toy()), moderator)
    candidate = store(new_toy())
    page.goto(live_server.url + "/moderation/models/")
    assert overflow(page) <= 0
    page.get_by_role("link", name=f"v{candidate.number}").click()
    page.get_by_role("heading", name="评估结果").wait_for()
    assert overflow(page) <= 0
    page.get_by_role("button", name="试运行").click()
    page.locator(".messages", has_text="试运行完成").wait_for()
    assert page.get_by_role("heading", name="新增标记").is_visible()
    assert page.locator(".scan-excerpt", has_text=FLAG_TEXT).count() == 1
    assert overflow(page) <= 0
    page.get_by_label("我已核对试运行结果").check()
    page.get_by_role("button", name="确认启用").click()
    page.locator(".messages", has_text=f"已启用 v{candidate.number}").wait_for()
    assert TextModelVersion.objects.get(pk=candidate.pk).status == TextModelStatus.ACTIVE
