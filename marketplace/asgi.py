"""ASGI entry point, kept for parity with WSGI; nothing async runs yet."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

application = get_asgi_application()
