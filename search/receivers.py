"""Reindex a product when it or its stock record is saved (after commit).

This is the one place signals are used for business effects (design.md §8,
rule 4): the reindex must follow every write, including Oscar's own.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from search.tasks import reindex_on_commit

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@receiver(post_save, sender=Product, dispatch_uid="search-reindex-product")
def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_on_commit([instance.pk])


@receiver(post_save, sender=StockRecord, dispatch_uid="search-reindex-stockrecord")
def stockrecord_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_on_commit([instance.product_id])
