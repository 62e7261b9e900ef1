import pytest
from django.core import mail

from accounts.models import ApplicationStatus, AuthorApplication, SignInKind, SignInRecord
from tests.accounts.factories import user_in_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(user_in_role("admin", username="site-admin"))
    return client


def _application(username="applicant"):
    user = user_in_role("reader", username=username)
    return AuthorApplication.objects.create(
        user=user, pen_name="后台笔名", bio="简介", motivation="后台测试的申请理由。"
    )


def test_staff_see_users_with_roles_and_sign_in_records(staff_client):
    reader = user_in_role("reader", username="someone")
    SignInRecord.objects.create(user=reader, kind=SignInKind.LOGIN, ip_address="192.0.2.1", user_agent="UA-admin")
    assert "someone" in staff_client.get("/admin/accounts/user/").content.decode()
    page = staff_client.get(f"/admin/accounts/user/{reader.pk}/change/").content.decode()
    assert "192.0.2.1" in page and "UA-admin" in page
    twin = user_in_role("reader", username="twin-account")
    SignInRecord.objects.create(user=twin, kind=SignInKind.SIGNUP, ip_address="192.0.2.1", user_agent="UA-other")
    assert "twin-account" in staff_client.get(f"/admin/accounts/user/{reader.pk}/change/").content.decode()
    assert "192.0.2.1" in staff_client.get("/admin/accounts/signinrecord/").content.decode()
    assert staff_client.get("/admin/auth/group/").status_code == 200


def test_admin_approve_action_uses_the_service(staff_client, django_capture_on_commit_callbacks):
    application = _application()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/accounts/authorapplication/", {"action": "approve", "_selected_action": [application.pk]}
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.user.groups.filter(name="author").exists()
    assert len(mail.outbox) == 1


def test_admin_decline_action_asks_for_a_note_first(staff_client):
    application = _application()
    page = staff_client.post(
        "/admin/accounts/authorapplication/", {"action": "decline", "_selected_action": [application.pk]}
    )
    assert "不通过的原因" in page.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING

    staff_client.post(
        "/admin/accounts/authorapplication/",
        {"action": "decline", "_selected_action": [application.pk], "confirm": "1", "note": "暂不符合要求。"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.decision_note == "暂不符合要求。"


def test_admin_refuses_an_email_taken_in_another_case_with_a_message(staff_client):
    user_in_role("reader", username="first", email="same@example.test")
    second = user_in_role("reader", username="second", email="second@example.test")
    page = staff_client.get(f"/admin/accounts/user/{second.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        {
            "email": "SAME@example.test",
            "groups": [group.pk for group in second.groups.all()],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "sign_in_records-TOTAL_FORMS": "0",
            "sign_in_records-INITIAL_FORMS": "0",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = staff_client.post(f"/admin/accounts/user/{second.pk}/change/", data)
    assert response.status_code == 200
    assert "这个邮箱已经被另一个账号使用了" in response.content.decode()
    second.refresh_from_db()
    assert second.email == "second@example.test"
