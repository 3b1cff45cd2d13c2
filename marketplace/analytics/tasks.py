"""The analytics worker side."""

from celery import shared_task

from marketplace.analytics.services import product_views_flush


@shared_task(name="analytics.product_views_flush", ignore_result=True)
def product_views_flush_task() -> int:
    """Beat, every minute: move the product views counted in Redis into the
    product records (search ranks by them)."""
    return product_views_flush()
