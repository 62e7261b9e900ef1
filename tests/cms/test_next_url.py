"""cms.next_url: a form's `next` is followed only when it is a path on this site.

A `next` that is not an address at all ("home", "名名名") went to Django's redirect(), which
took it for a URL pattern name, failed to reverse it and answered 500 (found by the
hostile-input corpus on /accounts/verify-email/resend/)."""

import pytest
from django.test import RequestFactory

from cms.next_url import safe_next_url
from tests.accounts.factories import user_in_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/accounts/me/", "/accounts/me/"),
        ("http://testserver/a/x/", "http://testserver/a/x/"),
        ("名名名", "/fallback/"),
        ("home", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("", "/fallback/"),
        (None, "/fallback/"),
    ],
)
def test_only_paths_on_this_site_are_followed(target, expected):
    request = RequestFactory().get("/")
    assert safe_next_url(request, target, "/fallback/") == expected


def test_a_next_that_is_not_an_address_redirects_to_the_default_instead_of_failing(client):
    client.force_login(user_in_role("reader", email_verified_at=None))
    response = client.post("/accounts/verify-email/resend/", {"next": "名" * 300})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
