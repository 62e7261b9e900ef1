"""`python manage.py expire_penalties`: the beat task's work, by hand or from cron."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from moderation.services import penalties_expire


class Command(BaseCommand):
    help = "结束已到期的禁言并通知用户（与 Celery beat 任务 moderation.tasks.expire_penalties 相同）。"

    def handle(self, *args, **options):
        ended = penalties_expire()
        self.stdout.write(_("已结束 %(n)s 项到期的处罚。") % {"n": ended})
