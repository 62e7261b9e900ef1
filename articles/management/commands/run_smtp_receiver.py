"""The SMTP door of e-mail submissions (articles.mail.smtp): receive mail for
SUBMISSION_EMAIL and store each message as a submission.

    python manage.py run_smtp_receiver [--host 127.0.0.1] [--port 2525]

Runs until SIGINT or SIGTERM. Put it behind the site's MTA (see the README): the relay
takes mail from the internet, with its spam checks and TLS, and hands the submission
address to this receiver on a loopback port.
"""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.mail.smtp import smtp_controller, submission_address


class Command(BaseCommand):
    help = "运行接收投稿邮件的 SMTP 服务（aiosmtpd）：只收投稿邮箱的邮件，超过大小上限的拒收（552）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=2525, help="监听端口（默认 2525）")

    def handle(self, *args, **options):
        controller = smtp_controller(host=options["host"], port=options["port"])
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        try:
            controller.start()
        except (OSError, RuntimeError) as error:
            raise CommandError(f"无法在 {options['host']}:{options['port']} 上启动 SMTP 服务：{error}") from error
        self.stdout.write(
            f"SMTP 投稿接收已启动：{options['host']}:{options['port']}，只接收 {submission_address()}，"
            f"单封上限 {settings.SUBMISSION_MAX_MESSAGE_BYTES} 字节。按 Ctrl+C 停止。"
        )
        try:
            while not stop.wait(1):
                pass
        finally:
            controller.stop()
            self.stdout.write("SMTP 投稿接收已停止。")
