"""Settings for pytest: the real services that `make test` starts.

`DATABASE_URL`, `REDIS_URL`, `OPENSEARCH_URL` and `STRIPE_API_BASE` are set
by the Makefile; the defaults point at the ports `.ci/services.sh` uses.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, WAGTAILSEARCH_BACKENDS, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105  (tests only)
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://ocop:ocop@127.0.0.1:5432/ocop")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks eagerly unless a test sends them through the real broker
# on purpose (see tests/core/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
SERVE_MEDIA = True
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Files that must never be served as media: operators' uploads waiting
    # to be imported.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}

# Static files come from the app finders; no collectstatic in tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Tests index Wagtail pages under their own name, so a test run never
# touches (or leaves stale documents in) the development pages index.
# Overridable so two test runs on one machine keep apart.
WAGTAIL_SEARCH_INDEX = env("WAGTAIL_SEARCH_INDEX", default="ocop-pages-test")
OPENSEARCH_PRODUCTS_ALIAS = env("OPENSEARCH_PRODUCTS_ALIAS", default="ocop-products-test")
if "INDEX_PREFIX" in WAGTAILSEARCH_BACKENDS["default"]:  # OpenSearch is configured
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] = f"{WAGTAIL_SEARCH_INDEX}-"
