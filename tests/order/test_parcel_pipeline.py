"""A parcel's status moves only along `Parcel.pipeline`: the model refuses
any other move itself, whoever calls it (real PostgreSQL)."""

from decimal import Decimal

import pytest

from marketplace.order.exceptions import ParcelMoveRefused
from marketplace.order.models import ParcelStatus
from marketplace.order.services import order_place
from tests.factories import certified_product_create, producer_create
from tests.order.conftest import basket_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcel(hanoi_delivery):
    lua = producer_create("HTX Lụa Vạn Phúc")
    khan = certified_product_create(title="Khăn lụa", producer=lua, price=Decimal("320000"))
    order = order_place(basket=basket_with((khan, 1)), delivery=hanoi_delivery, email="a@b.vn")
    return order.parcels.get()


def test_a_placed_parcel_may_only_be_packed_or_cancelled(parcel):
    assert parcel.status == ParcelStatus.PLACED
    assert set(parcel.available_statuses()) == {ParcelStatus.PACKED, ParcelStatus.CANCELLED}


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ((), ParcelStatus.SHIPPED),  # placed cannot skip packing
        ((), ParcelStatus.DELIVERED),
        ((ParcelStatus.CANCELLED,), ParcelStatus.PACKED),  # a cancelled parcel stays so
        ((ParcelStatus.PACKED,), ParcelStatus.PLACED),  # no going back
        ((ParcelStatus.PACKED, ParcelStatus.SHIPPED), ParcelStatus.CANCELLED),
    ],
)
def test_set_status_refuses_a_move_the_pipeline_does_not_allow(parcel, steps, refused):
    # given a parcel moved along some legal steps
    for step in steps:
        parcel.set_status(step, tracking_number="GHN-1")
    reached = parcel.status
    # when it is asked to move where its pipeline does not lead
    assert refused not in parcel.available_statuses()
    with pytest.raises(ParcelMoveRefused):
        parcel.set_status(refused, tracking_number="GHN-1")
    # then nothing changed, in memory or in the database
    assert parcel.status == reached
    parcel.refresh_from_db()
    assert parcel.status == reached


def test_set_status_walks_the_whole_pipeline_and_saves_each_step(parcel):
    parcel.set_status(ParcelStatus.PACKED)
    parcel.set_status(ParcelStatus.SHIPPED, tracking_number=" GHN-778899 ", carrier="GHN")
    parcel.refresh_from_db()
    assert (parcel.status, parcel.tracking_number, parcel.carrier) == (
        ParcelStatus.SHIPPED,
        "GHN-778899",
        "GHN",
    )
    parcel.set_status(ParcelStatus.DELIVERED)
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.DELIVERED
    assert parcel.available_statuses() == ()


def test_a_parcel_is_not_shipped_without_a_tracking_number(parcel):
    parcel.set_status(ParcelStatus.PACKED)
    with pytest.raises(ParcelMoveRefused):
        parcel.set_status(ParcelStatus.SHIPPED, tracking_number="  ")
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.PACKED
