"""Test data built through the real services where a service exists."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from articles.models import Article, ArticleStatus

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"测试文章 {n}")
    slug = factory.Sequence(lambda n: f"test-article-{n}")
    summary = "一篇用于测试的文章。"
    body = "## 小标题\n\n正文第一段。"
    source = "测试来源"
    byline = "测试作者"
    author = factory.SubFactory(UserFactory)
    status = ArticleStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
