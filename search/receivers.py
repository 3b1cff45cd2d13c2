"""Reindex a product when it, its stock record, its categories, its
certificate or its producer change (after commit, once per transaction).

This is the one place signals are used for business effects (design.md §8,
rule 4): the reindex must follow every write, including Oscar's own
dashboard and Django's admin. The registry sync writes in bulk, without
signals, and queues its own reindex.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from marketplace.ocop.models import Certificate, Producer
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


@receiver(post_save, sender=Certificate, dispatch_uid="search-reindex-certificate")
def certificate_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_on_commit(Product.objects.filter(certificate=instance).values_list("pk", flat=True))


@receiver(post_save, sender=Producer, dispatch_uid="search-reindex-producer")
def producer_saved(sender, instance, raw=False, created=False, **kwargs):
    """The index carries the producer's name, province and ward, so any
    change to a producer reaches its products' documents."""
    if not raw and not created:
        reindex_on_commit(
            Product.objects.filter(certificate__producer=instance).values_list("pk", flat=True)
        )


@receiver(m2m_changed, sender=Product.categories.through, dispatch_uid="search-reindex-categories")
def product_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        reindex_on_commit([instance.pk])
    elif pk_set:
        reindex_on_commit(pk_set)


@receiver(post_save, sender=Product.categories.through, dispatch_uid="search-reindex-pc-save")
@receiver(post_delete, sender=Product.categories.through, dispatch_uid="search-reindex-pc-del")
def product_category_row_changed(sender, instance, raw=False, **kwargs):
    """Oscar's dashboard writes `ProductCategory` rows directly, which sends
    no `m2m_changed`."""
    if not raw:
        reindex_on_commit([instance.product_id])
