"""E-mails of the feedback page and appeals to addresses that may have no account (a
visitor's confirmation link, a reply, a banned person's appeal link). Each runs once per
message (reliability.receipts), queued through the outbox on commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tasks import MAIL_TASK
from cms.celery import app
from reliability.receipts import once_per_message


def _send(*, template: str, context: dict, to: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"moderation/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@app.task(**MAIL_TASK)
@once_per_message
def send_feedback_confirmation(self, feedback_id: int) -> None:
    """The signed link a visitor opens to confirm their address (and so their item)."""
    from moderation.models import Feedback, FeedbackStatus
    from moderation.services.feedback import feedback_confirm_token

    feedback = Feedback.objects.filter(pk=feedback_id, status=FeedbackStatus.UNCONFIRMED).first()
    if feedback is None:
        return
    link = settings.SITE_URL + reverse("feedback:confirm", args=[feedback_confirm_token(feedback)])
    hours = settings.FEEDBACK_CONFIRM_MAX_AGE // 3600
    _send(template="feedback_confirm", context={"feedback": feedback, "link": link, "hours": hours}, to=feedback.email)


@app.task(**MAIL_TASK)
@once_per_message
def send_feedback_reply(self, feedback_id: int) -> None:
    from moderation.models import Feedback

    feedback = Feedback.objects.filter(pk=feedback_id).exclude(reply="").first()
    if feedback is None or not feedback.email:
        return
    link = f"{settings.SITE_URL}{reverse('feedback:track')}?number={feedback.tracking_number}"
    _send(template="feedback_reply", context={"feedback": feedback, "link": link}, to=feedback.email)


@app.task(**MAIL_TASK)
@once_per_message
def send_appeal_link(self, penalty_id: int) -> None:
    """To the account's own address: a one-time appeal link, or why there is none."""
    from moderation.models import Penalty
    from moderation.services.appeals import appeal_link_token, appeal_refusal

    penalty = Penalty.objects.select_related("user").filter(pk=penalty_id).first()
    if penalty is None or not penalty.user.email:
        return
    refusal = appeal_refusal(penalty=penalty)
    link = ""
    if refusal is None:
        token, _nonce = appeal_link_token(penalty=penalty)
        link = settings.SITE_URL + reverse("feedback:appeal_link", args=[token])
    context = {
        "penalty": penalty,
        "user": penalty.user,
        "link": link,
        "refusal": refusal,
        "hours": settings.MODERATION_APPEAL_LINK_MAX_AGE // 3600,
    }
    _send(template="appeal_link", context=context, to=penalty.user.email)
