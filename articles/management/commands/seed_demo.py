"""Load the convention and the demo data. Safe to run any number of times."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import roles
from accounts.services import user_ensure_demo
from articles.images.demo import demo_images_ensure
from articles.models import Article
from articles.search import article_search_text_refresh
from articles.services import article_seed_demo_submission, article_seed_published
from moderation.scanner import load_seed_terms
from moderation.services import convention_load, term_seed_load

SEEDS = settings.BASE_DIR / "seeds"
DEMO_PASSWORD = "yumao-demo"  # noqa: S105 — the published demo password (PRODUCT §12)
DEMO_ACCOUNTS = [
    ("demo-reader", [roles.READER], ""),
    ("demo-author", [roles.READER, roles.AUTHOR], "林小满"),
    ("demo-editor", [roles.READER, roles.EDITOR], "周编辑"),
    ("demo-moderator", [roles.READER, roles.MODERATOR], ""),
    ("demo-admin", [roles.READER, roles.ADMIN], ""),
]


class Command(BaseCommand):
    help = "载入社区公约与演示数据（演示账号和文章）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="只载入公约等基础数据，不创建演示账号和文章。")

    def _seed_text_model(self) -> None:
        """The shipped model (seeds/model/) as text model version 1, active, on a fresh install."""
        from moderation.models import TextModelVersion
        from moderation.services.text_models import text_model_seed_load

        version = text_model_seed_load()
        if version is not None:
            size = version.size_bytes // 1024
            self.stdout.write(f"扫描模型：已载入随项目发布的默认模型 v{version.number}（{size} KB）")
        elif TextModelVersion.objects.exists():
            self.stdout.write("扫描模型：已有模型版本，未改动")
        else:
            self.stdout.write("扫描模型：没有找到随项目发布的模型文件 seeds/model/，扫描暂不使用模型阶段")

    def handle(self, *args, no_demo: bool = False, **options):
        convention = convention_load(data=json.loads((SEEDS / "convention.json").read_text("utf-8")))
        self.stdout.write(f"社区公约：{convention} 共 {convention.rules.count()} 条")
        added = term_seed_load(specs=load_seed_terms(SEEDS / "lexicon.json"))
        self.stdout.write(f"词库：新增 {added} 个种子词条")
        self._seed_text_model()
        if no_demo:
            return
        if not settings.YUMAO_DEMO_DATA_ALLOWED:
            raise CommandError("当前配置（生产环境）禁止创建演示账号；只载入基础数据请加 --no-demo。")

        users = {
            username: user_ensure_demo(
                username=username,
                password=DEMO_PASSWORD,
                roles=role_names,
                email=f"{username}@yumao.example",
                pen_name=pen_name,
            )
            for username, role_names, pen_name in DEMO_ACCOUNTS
        }
        articles = json.loads((SEEDS / "demo_articles.json").read_text("utf-8"))
        for item in articles:
            article_seed_published(
                slug=item["slug"],
                title=item["title"],
                summary=item["summary"],
                body=item["body"],
                source=item["source"],
                byline=item["byline"],
                featured=item.get("featured", False),
                author=users["demo-author"],
                tags=item.get("tags", ()),
            )
        # Covers and a body picture from the image library (drawn with Pillow, idempotent).
        demo_images_ensure(
            author=users["demo-author"], articles=list(Article.objects.filter(slug__in=[i["slug"] for i in articles]))
        )
        # Demo articles skip the workflow that indexes published articles for search.
        article_search_text_refresh(queryset=Article.objects.filter(slug__in=[item["slug"] for item in articles]))
        self.stdout.write(f"演示文章：{len(articles)} 篇")
        # One submission waiting in the editors' queue and one unfinished draft.
        for item in json.loads((SEEDS / "demo_submissions.json").read_text("utf-8")):
            article_seed_demo_submission(author=users["demo-author"], **item)
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, role_names, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<16} {', '.join(role_names)}")
