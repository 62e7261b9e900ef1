"""System checks: production must not run on state that each process keeps for itself.

Without a shared cache each gunicorn worker purges only its own copy of a page and counts
its own rate limits; without a broker every task runs inside the web request; with a
console or memory mail backend no e-mail ever leaves the machine. Each of these starts
fine and fails silently, so production settings (YUMAO_REQUIRE_SHARED_SERVICES) turn them
into errors: `manage.py check --deploy`, `migrate` and every other command refuse to run.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends whose data lives in one process or one machine.
LOCAL_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.db.DatabaseCache",
}
SHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "reliability.cache.ResilientRedisCache",
}
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def _required() -> bool:
    return getattr(settings, "YUMAO_REQUIRE_SHARED_SERVICES", False)


@register(Tags.caches)
def check_shared_cache(app_configs=None, **kwargs):
    if not _required():
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHE_BACKENDS and settings.CACHES["default"].get("LOCATION"):
        return []
    return [
        Error(
            "生产环境必须使用共享缓存（Redis）：请设置 REDIS_URL，例如 redis://host:6379/1。"
            f" / Production needs a shared cache (Redis): set REDIS_URL. The cache is {backend or 'not set'},"
            " which each process (or machine) keeps for itself, so purges and rate limits would not be shared.",
            hint="REDIS_URL=redis://host:6379/1",
            id="reliability.E001",
        )
    ]


@register("celery")
def check_celery_broker(app_configs=None, **kwargs):
    if not _required():
        return []
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        return []
    return [
        Error(
            "生产环境必须配置 Celery 消息队列：请设置 CELERY_BROKER_URL，例如 redis://host:6379/0。"
            " / Production needs a Celery broker: set CELERY_BROKER_URL. Without it every scan, e-mail"
            " and purge would run inside the web request.",
            hint="CELERY_BROKER_URL=redis://host:6379/0",
            id="reliability.E002",
        )
    ]


@register(Tags.compatibility, "email")
def check_email_backend(app_configs=None, **kwargs):
    if not _required():
        return []
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend and backend not in UNDELIVERED_EMAIL_BACKENDS:
        return []
    return [
        Error(
            "生产环境必须配置真实的邮件服务：请设置 EMAIL_URL，例如 smtp+tls://user:pass@smtp.example:587。"
            f" / Production needs a real mail backend: set EMAIL_URL. {backend or 'No backend'} delivers"
            " nothing (console, memory, file or dummy).",
            hint="EMAIL_URL=smtp+tls://user:pass@smtp.example:587",
            id="reliability.E003",
        )
    ]
