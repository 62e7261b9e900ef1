from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("文章")

    def ready(self) -> None:
        import articles.mail.tasks  # noqa: F401 — the acknowledgement task, known to every worker
        from articles.comment_moderation import CommentAdapter
        from articles.mail.moderation import SubmissionAdapter
        from articles.models import Article, Comment, Submission
        from articles.moderation import ArticleAdapter
        from moderation.registry import registry

        registry.register(Article, ArticleAdapter)
        registry.register(Comment, CommentAdapter)
        registry.register(Submission, SubmissionAdapter)
