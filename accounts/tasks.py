from django.conf import settings
from django.core.mail import send_mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cms.celery import app, idempotent_task
from reliability.receipts import once_per_message

# An SMTP server that is briefly away is worth retrying; a refused address is not. A mail
# runs once per message (reliability.receipts), so a redelivered message sends nothing
# twice and the task may be acknowledged late: a worker lost mid-send loses no mail.
MAIL_TASK = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (ConnectionError, TimeoutError),
    "retry_backoff": 5,
    "max_retries": 5,
}


@idempotent_task
def clear_expired_sessions() -> None:
    """Delete expired sessions (daily, from beat). Running it twice deletes nothing twice."""
    call_command("clearsessions")


def _send(*, template: str, context: dict, to: str) -> None:
    # Mails go out in the site's language (Chinese), whatever language the worker runs in.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"accounts/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@app.task(**MAIL_TASK)
@once_per_message
def send_verification_email(self, user_id: int) -> None:
    """E-mail a fresh verification link (once per message: a redelivery sends nothing)."""
    from accounts.models import User
    from accounts.services import email_verification_token

    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email_verified or not user.email:
        return
    link = settings.SITE_URL + reverse("accounts:verify_email", args=[email_verification_token(user=user)])
    days = settings.ACCOUNTS_EMAIL_VERIFICATION_MAX_AGE // 86400
    _send(template="verify_email", context={"user": user, "link": link, "days": days}, to=user.email)


@app.task(**MAIL_TASK)
@once_per_message
def send_application_decision_email(self, application_id: int) -> None:
    """Tell an applicant what the editors decided."""
    from accounts.models import ApplicationStatus, AuthorApplication

    application = AuthorApplication.objects.select_related("user").filter(pk=application_id).first()
    if application is None or application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED):
        return
    template = "application_approved" if application.status == ApplicationStatus.APPROVED else "application_declined"
    _send(
        template=template,
        context={"application": application, "user": application.user},
        to=application.user.email,
    )


@app.task(**MAIL_TASK)
@once_per_message
def send_notice_email(self, notice_id: int) -> None:
    """E-mail an important notice (a penalty, its end, a report's outcome) to its user."""
    from accounts.models import Notice

    notice = Notice.objects.select_related("user").filter(pk=notice_id).first()
    if notice is None or not notice.user.email:
        return
    link = settings.SITE_URL + notice.link if notice.link.startswith("/") else notice.link
    _send(template="notice", context={"notice": notice, "user": notice.user, "link": link}, to=notice.user.email)
