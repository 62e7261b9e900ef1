from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import User
from articles.models import Article, ArticleStatus
from moderation.models import ConventionVersion, Rule, RuleCategory


def run_seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_loads_the_whole_convention():
    run_seed("--no-demo")
    version = ConventionVersion.objects.get(is_current=True)
    assert RuleCategory.objects.filter(convention=version).count() == 9
    codes = set(Rule.objects.filter(convention=version).values_list("code", flat=True))
    assert {"1.1", "1.13", "2.8", "3.8", "4.7", "5.3", "6.4", "7.3", "8.5", "9.4"} <= codes
    assert len(codes) == 13 + 8 + 8 + 7 + 3 + 4 + 3 + 5 + 4
    assert Rule.objects.get(convention=version, code="1.12").severity == "critical"
    assert Rule.objects.get(convention=version, code="2.7").severity == "medium"
    assert Rule.objects.get(convention=version, code="9.3").severity == "high"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_logins():
    first = run_seed()
    counts = (User.objects.count(), Article.objects.count(), Rule.objects.count(), ConventionVersion.objects.count())
    run_seed()
    assert counts == (
        User.objects.count(),
        Article.objects.count(),
        Rule.objects.count(),
        ConventionVersion.objects.count(),
    )
    assert "yumao-demo" in first
    for name in ("demo-reader", "demo-author", "demo-editor", "demo-moderator", "demo-admin"):
        assert name in first
        assert authenticate(username=name, password="yumao-demo") is not None
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() >= 3
    # The demo articles carry tags, shared between them, so tag pages list something.
    from articles.models import Tag

    assert Tag.objects.get(name="增长").articles.public().count() == 2
    assert Tag.objects.get(name="品牌").articles.public().count() == 2
    assert Tag.objects.get(name="增长").slug == "增长"
    assert set(User.objects.get(username="demo-editor").groups.values_list("name", flat=True)) == {"reader", "editor"}


@pytest.mark.django_db
def test_seed_demo_refuses_demo_accounts_where_demo_data_is_not_allowed(settings):
    settings.YUMAO_DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="--no-demo"):
        run_seed()
    assert not User.objects.exists()
