"""Settings shared by every environment.

Everything that differs between a laptop, CI and production comes from the
environment through django-environ. Integrations (Stripe, OpenSearch, Redis)
are off unless configured, so the embedded default needs no services.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's documented way to load its defaults)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- applications ----------------------------------------------------------

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
]

OSCAR_APPS = [
    "marketplace.config.MarketplaceShop",
    "marketplace.analytics.apps.AnalyticsConfig",
    "marketplace.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "marketplace.partner.apps.PartnerConfig",
    "marketplace.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "marketplace.order.apps.OrderConfig",
    "marketplace.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "marketplace.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "marketplace.dashboard.orders.apps.OrdersDashboardConfig",
    "marketplace.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "marketplace.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "marketplace.dashboard.registry.apps.RegistryDashboardConfig",
    "marketplace.dashboard.payments.apps.PaymentsDashboardConfig",
    "marketplace.dashboard.producers.apps.ProducersDashboardConfig",
    "marketplace.dashboard.lockouts.apps.LockoutsDashboardConfig",
]

WAGTAIL_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
]

THIRD_PARTY_APPS = [
    *WAGTAIL_APPS,
    "modelcluster",
    "taggit",
    "widget_tweaks",
    "haystack",  # Oscar's catalogue views still import it (design.md §6)
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "django_celery_beat",
    "axes",  # login throttling on every sign-in form
    "csp",
    "health_check",
]

LOCAL_APPS = [
    # The OCOP domain (producers, certificates): first, as every app below
    # stands on it and it stands on none of them.
    "marketplace.ocop",
    *OSCAR_APPS,
    "marketplace.core",
    "marketplace.translations",
    "marketplace.registry",
    "marketplace.payments",
    "marketplace.producers",
    "marketplace.outbox",
    "marketplace.pagecache",
    "cms",
    # seeds `make run`; on top of every room above, imported by none
    "marketplace.demo",
]

INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy and cookie defaults: outside
    # every middleware that renders or sets cookies, so they see it all.
    "marketplace.core.middleware.ContentSecurityPolicyMiddleware",
    "marketplace.core.middleware.PermissionsPolicyMiddleware",
    "marketplace.core.middleware.CookieDefaultsMiddleware",
    # NUL and control characters answer 400 here, before anything reads the
    # database (PostgreSQL text cannot hold NUL).
    "marketplace.core.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Shared shopper pages: before sessions, auth, CSRF and the basket, which
    # a cached answer never needs (marketplace/pagecache/middleware.py).
    "marketplace.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The shared page with this visitor's own basket, account links and
    # messages: after everything those read (marketplace/pagecache/parts.py).
    "marketplace.pagecache.middleware.VisitorPartsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                # Wrapped so Oscar's search form stays out of Wagtail's admin.
                "marketplace.core.context_processors.shop_search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    }
]

# --- data ------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Persistent connections: CONN_MAX_AGE=0 costs 7-9 ms a request (design.md §6).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default. Under ATOMIC_REQUESTS each request is one
    # transaction, and SQLite's default (deferred) one asks for the write
    # lock only at its first write: if another connection holds it then,
    # SQLite answers "database is locked" at once rather than wait (waiting
    # there could deadlock), so a sign-in beside another visitor's write was
    # a 500. IMMEDIATE takes the write lock at BEGIN, where SQLite does wait,
    # up to `timeout` seconds. Requests then run their transactions one at a
    # time, which the one-machine embedded default can afford.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")

# The cache is optional: a dead or hanging Redis must cost a page one short
# wait at most, never a 500 (marketplace.core.cache says what each
# cache user does without it). django-redis turns Redis errors into misses,
# the socket timeouts bound one call, and after a failure the client skips
# Redis for REDIS_CACHE_COOLDOWN seconds in that process.
REDIS_SOCKET_CONNECT_TIMEOUT = env.float("REDIS_SOCKET_CONNECT_TIMEOUT", default=0.25)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.25)
REDIS_CACHE_COOLDOWN = env.float("REDIS_CACHE_COOLDOWN", default=5.0)
# django-redis reads this one globally, not from OPTIONS: each ignored error
# is logged (bar the ones the breaker refused, see LOGGING below).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True


def redis_cache(url: str) -> dict:
    """A `CACHES` entry for the Redis at `url` that fails soft."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_CONNECT_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            "REDIS_CLIENT_CLASS": "marketplace.core.cache.FailFastRedis",
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Page cache --------------------------------------------------------------
# Whole shopper pages for visitors with no basket, session or messages, and
# fragments (cards, figures) for everyone, keyed on the day in Vietnam and
# the catalogue generation PostgreSQL bumps with every page-facing write
# (marketplace/pagecache). On SQLite (the embedded default) nothing is cached.
PAGE_CACHE_ENABLED = env.bool("DJANGO_PAGE_CACHE", default=True)
# Seconds an entry may live; never past midnight in Vietnam either way.
PAGE_CACHE_TTL = env.int("DJANGO_PAGE_CACHE_TTL", default=3600)
PAGE_CACHE_PREFIX = env("DJANGO_PAGE_CACHE_PREFIX", default="pc1")
# The views whose answers may be shared (their URL names), and paths never
# looked up at all (no generation read, no Redis GET).
PAGE_CACHE_VIEWS = [
    "wagtail_serve",  # home, sections, fairs, events, craft villages
    "catalogue:index",
    "catalogue:category",
    "catalogue:detail",
    "search:search",
    "search:suggest",
    "certificate-lookup",
    "producers:shop",
]
# Views whose page, for a signed-in customer, differs beyond the visitor parts
# (marketplace/pagecache/parts.py); such visitors get the view itself there.
# None today: the product page's wish list, stock alert and review bits are
# parts too.
PAGE_CACHE_SIGNED_IN_FULL_VIEWS: list[str] = []
PAGE_CACHE_SKIP_PREFIXES = [
    "/healthz",
    "/dashboard/",
    "/cms-admin/",
    "/shop/basket/",
    "/shop/checkout/",
    "/shop/accounts/",
    "/payments/",
    "/chu-the/nhan-tai-khoan/",
    "/i18n/",
    "/media/",
    "/documents/",
]

# --- Celery ----------------------------------------------------------------
# Without a broker, tasks run eagerly in-process (the embedded default).

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A web request that enqueues must not wait on a dead or hanging Redis: one
# short try, then the caller logs and moves on (marketplace.core.tasks.
# enqueue); what must happen anyway is in the outbox, and the sweep sends it.
# The worker's blocking reads are event-driven, so the short socket timeout
# does not cut them off (tests/core/test_celery_worker.py runs a real one).
CELERY_BROKER_SOCKET_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=0.5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_SOCKET_TIMEOUT,
    "socket_timeout": CELERY_BROKER_SOCKET_TIMEOUT,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY = False
# No task's caller reads its result, except the worker health check's ping,
# which asks for one. Without this, sending any task would also subscribe to
# its result on Redis: a second wait on a hanging Redis.
CELERY_TASK_IGNORE_RESULT = True
# Acknowledge a task only once it has run, and hand it back if its worker
# dies mid-way: a killed worker (a deploy, the OOM killer) loses no mail or
# reindex. The price is that a task can be delivered twice, even to two
# workers at once; every task is written for that (the outbox's row lock,
# the reindex records, the sync's advisory lock, one ExpiryWarning row per
# threshold), and tests/*/test_*_twice.py deliver each one twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = CELERY_BROKER_SOCKET_TIMEOUT

# --- the national OCOP registry ------------------------------------------
# Production points REGISTRY_URL at the national API; `make run` at the
# stand-in server serving the bundled Hanoi snapshot.

REGISTRY_URL = env("REGISTRY_URL", default="")
REGISTRY_TIMEOUT = env.float("REGISTRY_TIMEOUT", default=15.0)
REGISTRY_MIN_INTERVAL = env.float("REGISTRY_MIN_INTERVAL", default=0.2)
REGISTRY_PAGE_SIZE = env.int("REGISTRY_PAGE_SIZE", default=100)
REGISTRY_SYNC_EVERY_MINUTES = env.int("REGISTRY_SYNC_EVERY_MINUTES", default=60)
# A known product's record unreadable for this many complete crawls in a row
# raises an alert (default: a week's worth of syncs). It is never withdrawn
# for it: only absence withdraws.
REGISTRY_UNREADABLE_ALERT_CRAWLS = env.int(
    "REGISTRY_UNREADABLE_ALERT_CRAWLS", default=7 * 24 * 60 // REGISTRY_SYNC_EVERY_MINUTES
)
# A run still "running" after this long was killed mid-way; the next sync
# marks it failed (its transaction rolled back, so it changed nothing).
REGISTRY_SYNC_STALE_MINUTES = env.int("REGISTRY_SYNC_STALE_MINUTES", default=30)
# Operators' decision-list uploads: refused above this size, before parsing.
REGISTRY_UPLOAD_MAX_BYTES = env.int("REGISTRY_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Product photos the registry's records name: refused above this size, and
# fetched only from the registry's own host or these (`cdn.example.vn`,
# `cdn.example.vn:8443`, or `.example.vn` for its subdomains); each sync
# fetches at most REGISTRY_PHOTOS_PER_RUN, the rest on the next.
REGISTRY_IMAGE_MAX_BYTES = env.int("REGISTRY_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
REGISTRY_IMAGE_HOSTS = env.list("REGISTRY_IMAGE_HOSTS", default=[])
REGISTRY_PHOTOS_PER_RUN = env.int("REGISTRY_PHOTOS_PER_RUN", default=1000)

CELERY_BEAT_SCHEDULE = {
    "registry-sync": {
        "task": "registry.sync",
        "schedule": timedelta(minutes=REGISTRY_SYNC_EVERY_MINUTES),
    },
    "registry-expiry-warnings": {
        "task": "registry.expiry_warnings",
        "schedule": crontab(hour=7, minute=0),
    },
    # Operators' decision-list uploads nobody confirmed or cancelled.
    "registry-uploads-sweep": {
        "task": "registry.decision_list_uploads_sweep",
        "schedule": crontab(hour=3, minute=30),
    },
    # A fresh product index each night carries the day's popularity
    # (views, basket additions, purchases) into ranking. A no-op without
    # OpenSearch.
    "search-rebuild": {
        "task": "search.rebuild",
        "schedule": crontab(hour=3, minute=15),
    },
    # Work recorded with a commit whose task never ran (the broker was down,
    # the worker died): confirmation and claim-code mails, and products
    # whose search document is stale. Each run skips what is younger than
    # its grace period; a sweep not started within the minute is dropped.
    "outbox-sweep": {
        "task": "outbox.sweep",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "search-reindex-sweep": {
        "task": "search.reindex_sweep",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Product views counted in Redis (off the shared product page) into the
    # product records that search ranks by (marketplace.analytics.services).
    # VietQR requests past their expiry: cancelled at payOS, basket released.
    "payments-bank-transfers-expire": {
        "task": "payments.bank_transfers_expire",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "analytics-product-views-flush": {
        "task": "analytics.product_views_flush",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
}

# --- orders ----------------------------------------------------------------
# An order's status follows its parcels (marketplace.order.services).
OSCAR_INITIAL_ORDER_STATUS = "placed"
OSCAR_ORDER_STATUS_PIPELINE = {
    "placed": ("packed", "shipped", "delivered", "cancelled"),
    "packed": ("shipped", "delivered", "cancelled"),
    "shipped": ("delivered",),
    "delivered": ("refunded",),
    "cancelled": (),
    "refunded": (),
}
PHONENUMBER_DEFAULT_REGION = "VN"

# --- shipping --------------------------------------------------------------
# Each producer ships its own parcel; the charge depends on where it goes.
SHIPPING_RATE_INNER_HANOI = env.int("SHIPPING_RATE_INNER_HANOI", default=25_000)
SHIPPING_RATE_OTHER_PROVINCES = env.int("SHIPPING_RATE_OTHER_PROVINCES", default=40_000)

# --- search ----------------------------------------------------------------

# One node's URL, or several nodes of one cluster separated by commas
# (`http://os1:9200,http://os2:9200,http://os3:9200`): the client moves on to
# the next node when one is down (search/client.py).
OPENSEARCH_URL = env("OPENSEARCH_URL", default="")
_OPENSEARCH_NODES = [url.strip() for url in OPENSEARCH_URL.split(",") if url.strip()]
# Copies of each shard beyond the primary. A single node cannot hold a
# replica (the index would stay yellow), so 0 by default; a cluster sets 1 or
# more, so losing a node loses no search.
OPENSEARCH_REPLICAS = env.int("OPENSEARCH_REPLICAS", default=0)
# The alias search reads; each rebuild makes a dated index behind it. Tests
# and the benchmark use their own, so they never touch a site's index.
OPENSEARCH_PRODUCTS_ALIAS = env("OPENSEARCH_PRODUCTS_ALIAS", default="ocop-products")
# A web request waits at most this long for OpenSearch before the database
# answers, and a failure keeps OpenSearch out of the way for the cooldown.
OPENSEARCH_TIMEOUT = env.float("OPENSEARCH_TIMEOUT", default=0.5)
OPENSEARCH_BREAKER_COOLDOWN = env.float("OPENSEARCH_BREAKER_COOLDOWN", default=30.0)
# Oscar's catalogue views still import haystack; the simple backend keeps it
# quiet until our own search backends replace it.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- payments --------------------------------------------------------------

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Empty means Stripe's real API; CI points this at stripe-mock.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_API_VERSION = "2026-10-28.endive"  # pinned to what stripe 16.1 speaks
# payOS: VietQR bank transfer, confirmed by payOS's signed webhook.
# Offered at checkout only when all three keys are set. Empty base URL means
# payOS's real API; `make run` and the tests point it at the stand-in
# (marketplace.payments.payos_standin). Keys come from the payOS merchant
# page's payment channel; no production defaults.
PAYOS_CLIENT_ID = env("PAYOS_CLIENT_ID", default="")
PAYOS_API_KEY = env("PAYOS_API_KEY", default="")
PAYOS_CHECKSUM_KEY = env("PAYOS_CHECKSUM_KEY", default="")
PAYOS_BASE_URL = env("PAYOS_BASE_URL", default="")
# How long a QR may be paid; after that the request is cancelled at payOS
# and the basket released (payments.bank_transfers_expire, every minute).
PAYOS_EXPIRY_MINUTES = env.int("PAYOS_EXPIRY_MINUTES", default=15)
# A checkout waits at most this long for payOS before offering COD instead.
PAYOS_TIMEOUT = env.float("PAYOS_TIMEOUT", default=8.0)

# --- auth ------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before any
    # password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "/"
# Oscar's customer views (order status, wishlists) send anonymous visitors
# here; Django's default /accounts/login/ does not exist on this site.
LOGIN_URL = "customer:login"

# Sign-in throttling (django-axes) on the shop's, the dashboard's and
# Wagtail's forms; hooks in marketplace.customer.throttling. An account is
# locked after LOGIN_FAILURE_LIMIT wrong passwords, an address after
# LOGIN_IP_FAILURE_LIMIT (more: shoppers share addresses behind carrier NAT),
# for LOGIN_LOCKOUT_MINUTES after the last counted one; tries while locked
# are refused, even with the right password, and do not extend the lock. A
# successful sign-in clears its account's count. Attempts live in the
# database, so throttling outlives a Redis outage. Operators unlock from the
# dashboard (Khoá đăng nhập) or with `manage.py axes_reset_username <email>`.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "marketplace.customer.throttling.LoginAttemptsHandler"
AXES_USERNAME_CALLABLE = "marketplace.customer.throttling.login_identity"
AXES_CLIENT_IP_CALLABLE = "marketplace.customer.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "marketplace.customer.throttling.lockout_response"
# No row per successful sign-in (it would grow forever and hold every
# shopper's address); failures are what throttling needs.
AXES_DISABLE_ACCESS_LOG = True
# Masked in the stored POST data: the shop's form prefixes its fields
# ("login-password"), which axes would otherwise keep in clear.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "login-username",
    "login-password",
    "csrfmiddlewaretoken",
]
# Proxies in front of the app that append to X-Forwarded-For; the client's
# address is read that many entries from the right (0: the socket address).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- language, time, money -------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["marketplace.core.formats"]
USE_I18N = True
USE_TZ = True

OSCAR_DEFAULT_CURRENCY = "VND"
# "1.234.567 ₫" in Vietnamese, "1,234,567 ₫" in English: babel knows VND has
# no minor unit and rounds to whole đồng.
OSCAR_CURRENCY_FORMAT = {"VND": {"format": "#,##0\xa0¤"}}
OSCAR_OFFER_ROUNDING_FUNCTION = "marketplace.core.money.round_offer_discount"

OSCAR_SHOP_NAME = "Chợ OCOP"
OSCAR_SHOP_TAGLINE = _("Sản phẩm OCOP chính hãng từ mọi miền")
OSCAR_HOMEPAGE = "/"
OSCAR_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@ocop.local")
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
# Reviews come from buyers only (catalogue.models.Product.is_review_permitted)
# and show once an operator approved them.
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MODERATE_REVIEWS = True
OSCAR_PRODUCTS_PER_PAGE = 24


def _in_workspace(user, *args, **kwargs) -> bool:
    # settings load before any app: the check is imported when the menu asks
    from marketplace.producers.workspace.access import in_workspace

    return in_workspace(user)


def _navigation_without(navigation: list, url_names: set) -> list:
    """Oscar's dashboard menu with the entries for `url_names` left out."""
    kept = []
    for item in navigation:
        if item.get("url_name") in url_names:
            continue
        if "children" in item:
            item = {
                **item,
                "children": [c for c in item["children"] if c.get("url_name") not in url_names],
            }
        kept.append(item)
    return kept


OSCAR_DASHBOARD_NAVIGATION = [
    {
        # The producer workspace; Oscar's own catalogue and order entries are
        # staff-only (marketplace.dashboard.permissions).
        "label": _("Cơ sở của tôi"),
        "icon": "fas fa-store",
        "children": [
            {
                "label": label,
                "url_name": url_name,
                "access_fn": _in_workspace,
            }
            for label, url_name in (
                (_("Tổng quan"), "workspace:summary"),
                (_("Sản phẩm"), "workspace:product-list"),
                (_("Đơn hàng"), "workspace:parcel-list"),
                (_("Hồ sơ chủ thể"), "workspace:profile"),
                (_("Lịch sử thay đổi"), "workspace:history"),
            )
        ],
    },
    # Oscar's menu, less its partner list: every OCOP producer is a partner,
    # and operators reach producers through "Chủ thể và lời mời" below.
    *_navigation_without(OSCAR_DASHBOARD_NAVIGATION, {"dashboard:partner-list"}),  # noqa: F405
    {
        # Our operator areas (marketplace.dashboard.<area>); Oscar shows each
        # entry to whoever its dashboard app lets in, staff alone.
        "label": _("Hệ thống OCOP"),
        "icon": "fas fa-certificate",
        "children": [
            {
                "label": _("Lượt đồng bộ"),
                "url_name": "dashboard:registry-sync-runs",
            },
            {
                "label": _("Bản ghi bị từ chối"),
                "url_name": "dashboard:registry-rejected-records",
            },
            {
                "label": _("Chủ thể và lời mời"),
                "url_name": "dashboard:producers-list",
            },
            {
                "label": _("Khoá đăng nhập"),
                "url_name": "dashboard:lockouts-list",
            },
            {
                "label": _("Chuyển khoản VietQR"),
                "url_name": "dashboard:payments-transfers",
            },
        ],
    },
]
# Django's slugify drops "đ" (it has no decomposition); map it to "d".
OSCAR_SLUG_MAP = {"đ": "d", "Đ": "D"}

# --- Wagtail ---------------------------------------------------------------

WAGTAIL_SITE_NAME = "Chợ OCOP"
# Where the site is served, for links that leave it (mails, the admin's own):
# `SITE_URL`, or Wagtail's name for it; `make run` sets it to its host and port.
SITE_URL = env("SITE_URL", default=env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"))
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
# ASCII page slugs, folded from Vietnamese titles (cms/pages/common.py).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Page search: OpenSearch in the full stack, the database in the embedded
# default. With OpenSearch, a "database" entry stays configured so Wagtail's
# signal handlers keep its index fresh too, and `search.pages.pages_search`
# falls back to it when OpenSearch is down. Wagtail names its indexes
# `<WAGTAIL_SEARCH_INDEX>-<app>_<model>` (e.g. `ocop-pages-wagtailcore_page`,
# an alias that `manage.py update_index` builds).
WAGTAIL_SEARCH_INDEX = env("WAGTAIL_SEARCH_INDEX", default="ocop-pages")
# Accent-blind matching, so "bat trang" finds "Bát Tràng": "default" is what
# plain text fields use, "standard" is Wagtail's search-time analyzer for its
# autocomplete fields (its edgengram analyzer already folds at index time).
_FOLDING_ANALYZER = {
    "type": "custom",
    "tokenizer": "standard",
    "filter": ["asciifolding", "lowercase"],
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch3",
            "URLS": _OPENSEARCH_NODES,
            "INDEX_PREFIX": f"{WAGTAIL_SEARCH_INDEX}-",
            "TIMEOUT": OPENSEARCH_TIMEOUT,
            # as the product client: the next node when one is unreachable
            "OPTIONS": {"max_retries": len(_OPENSEARCH_NODES) - 1, "retry_on_timeout": False},
            "INDEX_SETTINGS": {
                "settings": {
                    "number_of_replicas": OPENSEARCH_REPLICAS,
                    "analysis": {
                        "analyzer": {
                            "default": _FOLDING_ANALYZER,
                            "standard": _FOLDING_ANALYZER,
                        }
                    },
                }
            },
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- security headers --------------------------------------------------------
# Content-Security-Policy, sent by marketplace.core.middleware.
# ContentSecurityPolicyMiddleware (django-csp). On the shop's pages scripts
# run only from our own origin, from Stripe.js on the card payment page, or
# inline with the response's nonce (nonce="{{ request.csp_nonce }}"): no
# 'unsafe-inline', no 'unsafe-eval', no inline event handlers (markup uses
# js/page-actions.js instead), and no inline styles either.
# tests/e2e/test_content_security_policy.py walks the shop, the dashboard and
# Wagtail's admin in Chromium and fails on any violation.
# Stripe.js's own list: https://docs.stripe.com/security/guide#content-security-policy
_STRIPE_JS = ["https://js.stripe.com", "https://*.js.stripe.com"]
_STRIPE_LINK = ["https://link.com", "https://*.link.com"]  # Link, in the Payment Element


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Oscar's templates keep a few fixed inline handlers ("cancel" links that go
# back a page, a popup that closes itself) and style="display:none" on the
# basket's hidden forms. Rather than copy those templates, the policy allows
# exactly these texts ('unsafe-hashes'): harmless even if injected, and any
# other inline handler or style attribute stays blocked.
_OSCAR_INLINE_HANDLERS = [
    "window.history.go(-1);return false",  # oscar/(dashboard/)partials/form.html
    "history.go(-1);return false",  # oscar/customer/wishlists/wishlists_form.html
    "window.close();return false;",  # oscar/dashboard/catalogue/attribute_option_group_delete
]
_OSCAR_INLINE_STYLES = ["display:none"]  # oscar/basket/partials/basket_content.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [
            SELF,
            NONCE,
            *_STRIPE_JS,
            UNSAFE_HASHES,
            *(_csp_hash(handler) for handler in _OSCAR_INLINE_HANDLERS),
        ],
        "style-src": [
            SELF,
            UNSAFE_HASHES,
            *(_csp_hash(style) for style in _OSCAR_INLINE_STYLES),
        ],
        "img-src": [SELF, "data:"],  # data: for the SVG icons in Oscar's CSS
        "font-src": [SELF],
        "connect-src": [SELF, "https://api.stripe.com", *_STRIPE_LINK],
        # Stripe's card fields, 3-D Secure and Link run in Stripe's frames.
        "frame-src": [*_STRIPE_JS, "https://hooks.stripe.com", *_STRIPE_LINK],
        # Nobody frames the shop (clickjacking), except Wagtail's own preview
        # of a page: ContentSecurityPolicyMiddleware makes that 'self'.
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# What the staff's back offices need on top, by URL prefix (these directives
# replace the ones above there). Probed in Chromium with the strict policy:
# - Oscar's dashboard writes style="" attributes (its index page's charts)
#   and its jQuery widgets set inline styles, none of which can carry a nonce;
#   inline CSS cannot run script.
# - Wagtail's admin (8.0) also writes an inline <script> after each chooser
#   and date widget and runs its chooser modals' inline scripts through
#   jQuery, with no way to give them a nonce (wagtail/wagtail#7053); its live
#   preview panel frames our own pages.
CONTENT_SECURITY_POLICY_BY_PATH = {
    "/dashboard/": {"style-src": [SELF, UNSAFE_INLINE]},
    "/cms-admin/": {  # WAGTAILADMIN_URL_PREFIX
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "frame-src": [SELF],
    },
}
# Browser features the shop never uses are switched off for it and for any
# frame in it; Stripe's frame may use the Payment Request API (wallets).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "usb": [],
    "payment": ["self", '"https://js.stripe.com"'],
}
# Every cookie the site sets is SameSite=Lax (CookieDefaultsMiddleware adds
# it where a library forgets, e.g. Oscar's basket cookie); production makes
# them Secure.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# What a shopper carries from one request to the next lives where every web
# process reads it, so a load balancer may send each request anywhere
# (tests/multiprocess): sessions in the database (Django's default engine),
# the basket in the database under a signed cookie, the CSRF secret in its
# cookie, flash messages in a signed cookie or else the session (Django's
# default storage), sign-in failures in the database (axes), cached pages
# and the search breaker in Redis. Signed cookies need one DJANGO_SECRET_KEY
# across all web processes.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads the language choice
# Wagtail's admin would fetch every editor's avatar from gravatar.com: a
# third-party request from the admin, blocked by the policy anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor ask releases.wagtail.org for new versions from editors' browsers.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Widget templates from TEMPLATES, so templates/ can override a library's
# widget (Oscar's image upload widget carries inline handlers).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
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
# Producers' product photos (workspace upload limit).
PRODUCT_IMAGE_MAX_BYTES = env.int("PRODUCT_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=DEBUG)
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
# a photo whose thumbnail cannot be made (store down, file missing or not an
# image) shows its sector illustration instead of failing the page
OSCAR_THUMBNAILER = "marketplace.core.thumbnails.FailSoftThumbnailer"

# --- mail ------------------------------------------------------------------

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"cache_skipped": {"()": "marketplace.core.cache.DropSkippedCommands"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_redis.cache": {"filters": ["cache_skipped"]},
        # opensearch-py logs every request at INFO: a line per search, a
        # measurable cost on the search page. Failures still log.
        "opensearch": {"level": "WARNING"},
        # a line per stock record saved ("Sending alerts for …", "Sent 0
        # notifications") and per task run in-process (Wagtail's search and
        # reference-index tasks, Celery's eager ones): 172 lines of `make run`
        # noise around the one that says where the site is
        "oscar.alerts": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}
WAGTAILADMIN_URL_PREFIX = "/cms-admin/"
