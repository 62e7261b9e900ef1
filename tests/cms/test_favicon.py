"""Every page names its icon, and /favicon.ico leads to it instead of a 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon_and_pages_link_it(client):
    moved = client.get("/favicon.ico")
    assert moved.status_code == 301 and moved["Location"].endswith("favicon.svg")
    assert '<link rel="icon" href="' in client.get("/").content.decode()
