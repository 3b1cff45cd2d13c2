"""The OCOP marketplace project package.

Importing the Celery app here makes ``@shared_task`` bind to it as soon as
Django starts, in web processes and workers alike.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
