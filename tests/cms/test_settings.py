import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


def test_defaults_are_chinese_and_shanghai():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_celery_is_eager_exactly_when_no_broker_is_configured():
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # makemigrations --check exits non-zero (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _run_manage(args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "yumao.example",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/yumao",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run_manage(
        ["check"],
        {"DJANGO_SETTINGS_MODULE": "cms.settings.production", "ALLOWED_HOSTS": "x", "DATABASE_URL": "sqlite:///x"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_settings_refuse_debug_off_without_a_secret_key():
    result = _run_manage(["check"], {"DJANGO_SETTINGS_MODULE": "cms.settings.development", "DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
