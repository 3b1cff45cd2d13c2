"""What Oscar's analytics receivers record, through race-safe counters."""

from django.db.models import F
from django.dispatch import receiver
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from marketplace.analytics.counters import counter_add
from marketplace.analytics.services import product_view_count

ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")
UserSearch = get_model("analytics", "UserSearch")


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@receiver(product_viewed, dispatch_uid="analytics-product-viewed")
def product_view_record(sender, product, user, **kwargs):
    # Sent by the browser's call to catalogue:product-seen, not by the
    # (shared, cached) product page. The product's count goes to Redis and
    # reaches ProductRecord through the flush task: no UPDATE of a popular
    # row inside any request (marketplace.analytics.services).
    product_view_count(product_id=product.pk)
    if _signed_in(user):
        counter_add(UserRecord, "num_product_views", {"user": user})
        UserProductView.objects.create(product=product, user=user)


@receiver(user_search, dispatch_uid="analytics-user-search")
def search_record(sender, query, user, **kwargs):
    if _signed_in(user):
        UserSearch.objects.create(user=user, query=query)


@receiver(basket_addition, dispatch_uid="analytics-basket-addition")
def basket_addition_record(sender, product, user, **kwargs):
    counter_add(ProductRecord, "num_basket_additions", {"product": product})
    if _signed_in(user):
        counter_add(UserRecord, "num_basket_additions", {"user": user})


@receiver(order_placed, dispatch_uid="analytics-order-placed")
def order_record(sender, order, user, **kwargs):
    for line in order.lines.all():
        if line.product_id:
            counter_add(
                ProductRecord, "num_purchases", {"product_id": line.product_id}, line.quantity
            )
    if _signed_in(user):
        counter_add(UserRecord, "num_orders", {"user": user})
        counter_add(UserRecord, "num_order_lines", {"user": user}, order.num_lines)
        counter_add(UserRecord, "num_order_items", {"user": user}, order.num_items)
        UserRecord.objects.filter(user=user).update(
            total_spent=F("total_spent") + order.total_incl_tax, date_last_order=order.date_placed
        )
