"""Every role against every page and API endpoint (PRODUCT §2).

One row per page: the method, the path, the roles that may use it and what "allowed"
looks like. Everyone else must get 401/403, or be sent to sign in. Add a page: add a row.
"""

from dataclasses import dataclass, field

import pytest

from accounts.models import AuthorApplication
from tests.accounts.factories import user_in_role
from tests.factories import ArticleFactory

ROLES = ("visitor", "reader", "author", "editor", "moderator", "admin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"visitor"}
EDITORS = frozenset({"editor", "admin"})
MODERATORS = frozenset({"moderator", "admin"})
AUTHORS = frozenset({"author", "admin"})
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class Row:
    path: str
    allowed: frozenset
    method: str = "get"
    ok_status: int = 200
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


MATRIX = [
    Row("/", EVERYONE),
    Row("/a/matrix-article/", EVERYONE),
    Row("/convention/", EVERYONE),
    Row("/authors/{author}/", EVERYONE),
    Row("/search/?q=增长", EVERYONE),
    Row("/feed/", EVERYONE),
    Row("/submit/", EVERYONE),  # authors get the form, everyone else the e-mail notice
    Row("/editor/", EDITORS),
    Row("/moderation/", MODERATORS),
    Row("/moderation/lexicon/", MODERATORS),
    Row("/moderation/models/", MODERATORS),
    Row("/become-author/", EVERYONE),
    Row("/become-author/review/", EDITORS),
    Row("/become-author/review/{application}/", EDITORS, "post", 302, {"decision": "approve"}),
    Row("/accounts/me/", SIGNED_IN),
    Row("/accounts/password/change/", SIGNED_IN),
    Row("/accounts/password/reset/", EVERYONE),
    Row("/api/v1/me/", SIGNED_IN),
    Row("/api/v1/articles/", EVERYONE),
    Row("/api/v1/articles/{article}/unpublish/", EDITORS | MODERATORS, "post", 200, {"reason": "核实后下线"}),
    Row("/api/v1/moderation/scan/", MODERATORS, "post", 200, {"title": "标题", "body": "一段正文"}),
    Row("/api/v1/moderation/models/", MODERATORS),
    Row("/api/schema/", EVERYONE),
    Row("/api/docs/", EVERYONE),
    Row("/admin/", ADMINS),
    Row("/admin/accounts/authorapplication/", ADMINS),
    Row("/admin/accounts/signinrecord/", ADMINS),
]


def _is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(("/accounts/login/", "/admin/login/"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_role_may_use_page_exactly_as_product_says(client, role, row):
    # given: some content each page can show, and a user in the role
    article = ArticleFactory(slug="matrix-article")
    applicant = user_in_role("reader", username="matrix-applicant")
    application = AuthorApplication.objects.create(
        user=applicant, pen_name="申请人", bio="简介", motivation="我想写增长实验的复盘文章。"
    )
    if role != "visitor":
        client.force_login(user_in_role(role, username=f"matrix-{role}"))

    # when
    path = row.path.format(application=application.pk, author=article.author.username, article=article.pk)
    response = getattr(client, row.method)(path, row.data)

    # then
    if role in row.allowed:
        assert response.status_code == row.ok_status, f"{role} should be able to use {row}"
        if row.ok_status == 302:
            assert not _is_sent_to_sign_in(response)
    else:
        assert response.status_code in (401, 403) or _is_sent_to_sign_in(response), (
            f"{role} must not use {row} (got {response.status_code})"
        )
