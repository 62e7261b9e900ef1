"""Publish the scheduled articles whose time has come (the same work as the beat task)."""

from django.core.management.base import BaseCommand

from articles.services import article_publish_due


class Command(BaseCommand):
    help = "发布到点的定时文章；可重复运行，同一篇文章只会发布一次。"

    def handle(self, *args, **options):
        published = article_publish_due()
        self.stdout.write(f"已发布 {len(published)} 篇到点的定时文章。")
