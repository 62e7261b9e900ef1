"""SITE_URL follows the port `make run` serves on, so links in e-mails work (issue 13)."""

import subprocess

import pytest
from django.core import mail
from django.test import override_settings

from tests.cms.test_settings import _run_manage

PRINT_SITE_URL = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SITE_URL)"]


def test_in_development_the_default_follows_port_and_an_explicit_site_url_wins():
    # One subprocess per environment: settings are read once per process.
    follows = _run_manage(PRINT_SITE_URL, {"PORT": "8765", "SITE_URL": ""})
    assert follows.returncode == 0, follows.stderr
    assert follows.stdout.strip() == "http://127.0.0.1:8765"
    explicit = _run_manage(PRINT_SITE_URL, {"PORT": "8765", "SITE_URL": "https://yumao.example"})
    assert explicit.stdout.strip() == "https://yumao.example"


def test_make_run_hands_its_port_to_the_server():
    dry = subprocess.run(["make", "-n", "run", "PORT=8123"], capture_output=True, text=True, timeout=30)
    assert "PORT=8123 .venv/bin/python manage.py runserver 127.0.0.1:8123" in dry.stdout


@pytest.mark.django_db(transaction=True)  # the mail goes after commit, as in production
@override_settings(SITE_URL="http://127.0.0.1:8765")
def test_the_sign_up_verification_link_uses_site_url(client):
    from tests.accounts.test_signup import _signup

    assert _signup(client).status_code == 302
    (message,) = mail.outbox
    assert "http://127.0.0.1:8765/accounts/verify-email/" in message.body
