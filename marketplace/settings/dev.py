"""The embedded default behind `make run`: SQLite, eager Celery, no services.

Nothing here is fit for production; `production.py` refuses to start
without real secrets.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-ocop-marketplace")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SERVE_MEDIA = True
# Static files come from the app finders; no collectstatic on a laptop.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# The dashboard's "sync now" reads the bundled Hanoi snapshot; `make run`
# first syncs it through the stand-in registry over HTTP.
REGISTRY_URL = env(
    "REGISTRY_URL", default=str(BASE_DIR / "marketplace/demo/data/hanoi_snapshot.json")
)
