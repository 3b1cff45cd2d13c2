"""Writes made in the producer workspace. Each takes the `Workspace` (which
producer, and whether an operator is acting as support) and the acting user,
changes only producer-owned data, and records a `WorkspaceChange`.

Registry-owned data (certified name, stars, certificate, group, category)
has no parameter here, so no form or crafted POST can reach it.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.search_text import search_text_refresh
from marketplace.ocop.models import Producer
from marketplace.order import services as order_services
from marketplace.order.models import Parcel, ParcelStatus
from marketplace.producers.models import WorkspaceChange
from marketplace.producers.workspace.access import Workspace

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

logger = logging.getLogger(__name__)

# What a producer may change on their product (the rest is the registry's).
PRODUCT_FIELDS = ("description", "story", "weight_grams")
# Statuses a producer moves their own parcel to; cancelling (and refunding)
# stays with operators.
PRODUCER_PARCEL_STEPS = (ParcelStatus.PACKED, ParcelStatus.SHIPPED, ParcelStatus.DELIVERED)
MAX_IMAGES_PER_PRODUCT = 10
# Photos live on the media store (local disk, or S3 when there are several
# machines); when it refuses or does not answer, nothing is changed.
MEDIA_STORE_DOWN = gettext_lazy(
    "Kho ảnh đang không phản hồi nên ảnh chưa được thay đổi; mọi thông tin khác của sản "
    "phẩm vẫn giữ nguyên. Vui lòng thử lại sau ít phút."
)


class WorkspaceRefused(Exception):
    """The change cannot be made; the message says why, for the user."""


def _plain(value):
    """JSON-friendly old/new values for the audit trail."""
    if isinstance(value, Decimal):
        # prices are whole đồng: "150000", not "150000.00"
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return value


def change_record(*, workspace: Workspace, actor, subject: str, changes: dict) -> WorkspaceChange:
    """Record who changed what for this producer (call inside the write's
    transaction, so the record and the change commit together)."""
    return WorkspaceChange.objects.create(
        producer=workspace.producer,
        actor=actor,
        actor_name=actor.get_full_name() or actor.get_username(),
        by_support=workspace.by_support,
        subject=subject[:255],
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in changes.items()},
    )


def _own_product(workspace: Workspace, product_id: int):
    return Product.objects.of_producer(workspace.producer).select_for_update().get(pk=product_id)


def product_edit(
    *,
    workspace: Workspace,
    actor,
    product,
    fields: dict,
    price: Decimal | None,
    num_in_stock: int,
) -> WorkspaceChange | None:
    """Set a product's producer-owned fields, price and stock. Returns the
    audit record, or None when nothing changed."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"not producer-owned: {sorted(unknown)}")
    with transaction.atomic():
        product = _own_product(workspace, product.pk)
        changes = {}
        for name, new in fields.items():
            old = getattr(product, name)
            if old != new:
                changes[name] = (old, new)
                setattr(product, name, new)
        if changes:
            product.save()
            search_text_refresh(Product.objects.filter(pk=product.pk))
        stock = (
            StockRecord.objects.select_for_update()
            .filter(product=product, partner_id=workspace.producer.partner_id)
            .first()
        ) or StockRecord(
            product=product,
            partner_id=workspace.producer.partner_id,
            partner_sku=f"OCOP-{product.certificate.registry_id}",
            price_currency="VND",
            num_in_stock=0,
        )
        if num_in_stock < (stock.num_allocated or 0):
            raise WorkspaceRefused(
                _("Đang có %(n)s sản phẩm giữ cho đơn chưa giao; số lượng không thể ít hơn.")
                % {"n": stock.num_allocated}
            )
        stock_changes = {}
        if stock.price != price:
            stock_changes["price"] = (stock.price, price)
        if stock.num_in_stock != num_in_stock:
            stock_changes["num_in_stock"] = (stock.num_in_stock, num_in_stock)
        if stock_changes:
            stock.price, stock.num_in_stock = price, num_in_stock
            stock.save()
        changes.update(stock_changes)
        if not changes:
            return None
        return change_record(
            workspace=workspace, actor=actor, subject=product.get_title(), changes=changes
        )


def product_image_add(*, workspace: Workspace, actor, product, image) -> WorkspaceChange:
    """Add an (already validated) image after the product's others."""
    with transaction.atomic():
        product = _own_product(workspace, product.pk)
        existing = list(product.images.values_list("display_order", flat=True))
        if len(existing) >= MAX_IMAGES_PER_PRODUCT:
            raise WorkspaceRefused(
                _("Mỗi sản phẩm có tối đa %(n)s ảnh; hãy xoá bớt ảnh cũ.")
                % {"n": MAX_IMAGES_PER_PRODUCT}
            )
        try:
            added = ProductImage.objects.create(
                product=product, original=image, display_order=max(existing, default=-1) + 1
            )
        except OSError as error:
            # the file is stored before the row is written: no row points at
            # a missing photo, and the product's other fields are untouched
            logger.warning("product photo not stored: %s", error)
            raise WorkspaceRefused(MEDIA_STORE_DOWN) from error
        return change_record(
            workspace=workspace,
            actor=actor,
            subject=product.get_title(),
            changes={"image_added": (None, added.original.name)},
        )


def product_image_remove(*, workspace: Workspace, actor, product, image_id: int) -> WorkspaceChange:
    """Remove one of the product's images (looked up through the product,
    so another producer's image is not found)."""
    with transaction.atomic():
        product = _own_product(workspace, product.pk)
        image = product.images.get(pk=image_id)
        name = image.original.name
        try:
            image.delete()  # and its thumbnails, on the media store
        except OSError as error:
            logger.warning("product photo not removed: %s", error)
            raise WorkspaceRefused(MEDIA_STORE_DOWN) from error
        return change_record(
            workspace=workspace,
            actor=actor,
            subject=product.get_title(),
            changes={"image_removed": (name, None)},
        )


def producer_profile_edit(*, workspace: Workspace, actor, story: str, allows_pickup: bool):
    """Set the producer's own story and whether buyers may collect in person."""
    with transaction.atomic():
        producer = Producer.objects.select_for_update().get(pk=workspace.producer.pk)
        changes = {
            name: (getattr(producer, name), new)
            for name, new in (("story", story), ("allows_pickup", allows_pickup))
            if getattr(producer, name) != new
        }
        if not changes:
            return None
        for name, (_old, new) in changes.items():
            setattr(producer, name, new)
        producer.save(update_fields=[*changes, "updated_at"])
        return change_record(
            workspace=workspace, actor=actor, subject=_("Hồ sơ chủ thể"), changes=changes
        )


def parcel_move(
    *,
    workspace: Workspace,
    actor,
    parcel_id: int,
    status: str,
    tracking_number: str = "",
    carrier: str = "",
):
    """`order.services.parcel_move`, for one of the producer's own parcels
    and only to a step that is theirs (packed, shipped with a carrier and
    tracking number, delivered), recorded in the workspace's history.
    `WorkspaceRefused` or `ParcelMoveRefused` says why not."""
    if status not in PRODUCER_PARCEL_STEPS:
        raise WorkspaceRefused(_("Chủ thể không thể chuyển kiện hàng sang trạng thái này."))
    with transaction.atomic():
        parcel = (
            Parcel.objects.of_producer(workspace.producer).select_related("order").get(pk=parcel_id)
        )
        old = (parcel.status, parcel.tracking_number, parcel.carrier)
        parcel = order_services.parcel_move(
            parcel=parcel, status=status, tracking_number=tracking_number, carrier=carrier
        )
        changes = {"status": (old[0], parcel.status)}
        if parcel.tracking_number != old[1]:
            changes["tracking_number"] = (old[1], parcel.tracking_number)
        if parcel.carrier != old[2]:
            changes["carrier"] = (old[2], parcel.carrier)
        change_record(
            workspace=workspace,
            actor=actor,
            subject=_("Kiện hàng của đơn %(number)s") % {"number": parcel.order.number},
            changes=changes,
        )
    return parcel
