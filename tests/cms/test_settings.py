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


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "yumao.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/yumao",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.yumao.example:587",
}


def test_production_settings_pass_the_deploy_check():
    result = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("missing", "check_id", "variable"),
    [
        ({"REDIS_URL": ""}, "reliability.E001", "REDIS_URL"),
        ({"CELERY_BROKER_URL": ""}, "reliability.E002", "CELERY_BROKER_URL"),
        ({"EMAIL_URL": "consolemail://"}, "reliability.E003", "EMAIL_URL"),
        ({"EMAIL_URL": "dummymail://"}, "reliability.E003", "EMAIL_URL"),
    ],
)
def test_production_settings_refuse_per_process_state(missing, check_id, variable):
    # given production settings without one shared service
    env = {**PRODUCTION, **missing}
    # when the deploy check runs
    result = _run_manage(["check", "--deploy"], env)
    # then it fails with an error (not a warning) that names the variable, in Chinese and English
    assert result.returncode != 0, result.stdout + result.stderr
    assert "ERRORS" in result.stderr
    assert check_id in result.stderr
    assert variable in result.stderr
    assert "生产环境" in result.stderr and "Production needs" in result.stderr


def test_development_settings_keep_the_embedded_default():
    result = _run_manage(["check"], {"DJANGO_SETTINGS_MODULE": "cms.settings.development", "REDIS_URL": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reliability.E00" not in result.stderr


def test_the_embedded_default_cache_is_shared_by_every_process_on_the_machine():
    result = _run_manage(
        ["shell", "-v", "0", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"],
        {"DJANGO_SETTINGS_MODULE": "cms.settings.development", "REDIS_URL": ""},
    )
    assert result.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache", result.stderr


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
