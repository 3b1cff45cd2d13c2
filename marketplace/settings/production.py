"""Production: every secret and service address comes from the environment.

A missing required variable stops start-up with django-environ's
``ImproperlyConfigured: Set the <NAME> environment variable``, so a
misconfigured deploy fails loudly instead of running on a default.
"""

from django.core.exceptions import ImproperlyConfigured

from marketplace.payments.payos_standin.keys import PAYOS_API_URL, STANDIN_KEYS

from .base import *  # noqa: F403
from .base import (
    PAYOS_API_KEY,
    PAYOS_BASE_URL,
    PAYOS_CHECKSUM_KEY,
    PAYOS_CLIENT_ID,
    PRIVATE_MEDIA_ROOT,
    env,
    redis_cache,
)

DEBUG = False
# No default, on purpose; the same in every web process behind the balancer,
# which read each other's signed cookies (basket, messages) and tokens.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that accepts connections but never answers must not hold a
# worker until gunicorn kills it. Connecting gives up after
# DJANGO_DB_CONNECT_TIMEOUT seconds (2, libpq's minimum: a healthy server
# connects in milliseconds, and the shop aims to answer within 2 s whatever
# fails), and a statement after DJANGO_DB_STATEMENT_TIMEOUT milliseconds;
# either raises an error Django answers with our 500 page. The statement
# timeout is 0 (none) here because migrations, the registry sync (one
# transaction of ~10-30 s, with statements of several seconds) and the
# nightly index rebuild run in management commands and Celery, which must
# not be cut short; gunicorn.conf.py sets it for web workers only, with its
# own worker timeout above both.
DB_CONNECT_TIMEOUT = env.int("DJANGO_DB_CONNECT_TIMEOUT", default=2)
DB_STATEMENT_TIMEOUT_MS = env.int("DJANGO_DB_STATEMENT_TIMEOUT", default=0)
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "connect_timeout": DB_CONNECT_TIMEOUT,
}
if DB_STATEMENT_TIMEOUT_MS:
    DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"

REDIS_URL = env("REDIS_URL")
CACHES = {"default": redis_cache(REDIS_URL)}  # fails soft: see base.py
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False

OPENSEARCH_URL = env("OPENSEARCH_URL")
# required: SITE_URL, or WAGTAILADMIN_BASE_URL as compose sets it
SITE_URL = env("SITE_URL", default="") or env("WAGTAILADMIN_BASE_URL")
WAGTAILADMIN_BASE_URL = SITE_URL

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Files that must never be served as media: operators' uploads waiting
    # to be imported.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}

# Media on an S3-compatible object store (marketplace.core.storages), so
# every web and worker machine sees the same photos, thumbnails and
# documents. Unset, media stays on this machine's disk: fine for one
# machine, wrong for several. Any S3 service will do; compose and CI run
# versitygw. `manage.py media_store_prepare` creates the bucket and its
# public-read policy.
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    _media_s3 = {
        "bucket_name": MEDIA_S3_BUCKET,
        # empty: AWS itself, found from the region
        "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default="") or None,
        # empty: boto3's own chain (an instance role, AWS_* variables)
        "access_key": env("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env("MEDIA_S3_REGION", default="us-east-1"),
        # path-style works with any S3 service, without a DNS name per bucket
        "addressing_style": env("MEDIA_S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        # where browsers fetch signed (private) objects, if not the endpoint
        "presign_endpoint_url": env("MEDIA_S3_PRESIGN_URL", default="") or None,
        "querystring_expire": env.int("MEDIA_S3_URL_EXPIRE", default=600),
        # never overwrite: two producers uploading "anh.jpg" keep both
        "file_overwrite": False,
        "default_acl": None,
    }
    # Public media's address: a CDN or the load balancer's /media/ route in
    # front of the bucket (compose's nginx), or else the store itself.
    _public_url = env("MEDIA_S3_PUBLIC_URL", default="").rstrip("/")
    _public_scheme, _, _public_domain = _public_url.partition("//")
    STORAGES["default"] = {
        "BACKEND": "marketplace.core.storages.MediaStorage",
        "OPTIONS": {
            **_media_s3,
            "location": "media",
            "custom_domain": _public_domain or None,
            "url_protocol": _public_scheme or "https:",
            # True for a bucket that allows no public read at all: every
            # media URL is then signed (and so not cacheable for long)
            "querystring_auth": env.bool("MEDIA_S3_SIGN_ALL", default=False),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "marketplace.core.storages.MediaStorage",
        "OPTIONS": {**_media_s3, "location": "private", "public_prefixes": ()},
    }
    # Wagtail checks a document's collection privacy, then redirects to its
    # short-lived signed URL; the store serves the bytes, not a web worker.
    WAGTAILDOCS_SERVE_METHOD = "redirect"
# sorl-thumbnail writes thumbnails to the default storage (on the store,
# with the photos), and records them in the database and cache it shares.
THUMBNAIL_STORAGE = "default"

# HTTPS behind the load balancer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# That load balancer appends the client's address to X-Forwarded-For; sign-in
# throttling counts per address from it (marketplace.customer.throttling).
# Set 0 where gunicorn faces clients directly, or anyone could name their own.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
# The language switcher's cookie too; any other cookie set over
# HTTPS is made Secure by marketplace.core.middleware.CookieDefaultsMiddleware.
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
# A hanging mail server must not hold a worker (and its outbox row) forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# VietQR takes money only through payOS itself. The stand-in's keys are in
# this repository, so a site running on them accepts a webhook anyone can
# sign ("paid", with no money): refuse to start with them, or with payOS
# anywhere but payOS, unless the deployment says it is a test one.
PAYOS_ALLOW_STANDIN = env.bool("PAYOS_ALLOW_STANDIN", default=False)
if not PAYOS_ALLOW_STANDIN:
    if STANDIN_KEYS & {PAYOS_CLIENT_ID, PAYOS_API_KEY, PAYOS_CHECKSUM_KEY}:
        raise ImproperlyConfigured(
            "PAYOS_* holds the stand-in payOS's public keys; set the merchant's own keys "
            "(or PAYOS_ALLOW_STANDIN=1 on a test deployment)."
        )
    if PAYOS_BASE_URL and PAYOS_BASE_URL.rstrip("/") != PAYOS_API_URL:
        raise ImproperlyConfigured(
            f"PAYOS_BASE_URL={PAYOS_BASE_URL!r} is not payOS ({PAYOS_API_URL}); leave it "
            "empty (or PAYOS_ALLOW_STANDIN=1 on a test deployment)."
        )
