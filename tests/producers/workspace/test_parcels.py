"""A producer's parcels in the workspace: only their own part of each order,
only their own parcels, and moving them along with an audit trail."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from marketplace.order.models import Parcel
from marketplace.order.services import order_place
from marketplace.producers.models import WorkspaceChange
from tests.factories import certified_product_create
from tests.order.conftest import basket_with

pytestmark = pytest.mark.django_db


def text_of(html: str, testid: str) -> str:
    """The text inside the element carrying this data-testid (non-breaking
    spaces, as the VND format uses, made plain)."""
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, f"no element with data-testid={testid}"
    return found.group(1).replace("\xa0", " ").strip()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_parcel_detail_shows_only_the_producers_own_part_of_a_mixed_order(client, two_sides):
    # given an order mixing A (2 × 150.000) and B (1 × 420.000), 25.000 shipping each
    a, b = two_sides
    client.force_login(a.user)
    # when A opens their parcel
    response = client.get(reverse("workspace:parcel-detail", args=[a.parcel.pk]))
    # then A sees their own lines and amounts
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bình gốm men lam" in html
    assert "150.000" in html
    assert text_of(html, "own-subtotal") == "300.000 ₫"
    assert text_of(html, "own-shipping") == "25.000 ₫"
    assert text_of(html, "own-total") == "325.000 ₫"
    # and, as the order is cash on delivery, what to collect for this parcel
    assert text_of(html, "cod-amount") == "325.000 ₫"
    # and who it goes to
    assert "Nguyễn Thị Lan" in html
    assert "12 Quảng An" in html
    assert "+84912345678" in html
    # but nothing of B's, nor the order's total
    assert "Lụa Vạn Phúc" not in html
    assert b.producer.name not in html
    assert "420.000" not in html
    assert "445.000" not in html  # B's subtotal plus shipping
    assert "770.000" not in html  # the order's total
    assert a.parcel.order.total_incl_tax == Decimal("770000")


def test_parcel_list_lists_only_the_producers_own_parcels(client, two_sides, hanoi_delivery):
    # given, besides the mixed order, an order from B alone
    a, b = two_sides
    only_b = order_place(
        basket=basket_with((b.product, 1)), delivery=hanoi_delivery, email="khach2@example.vn"
    )
    client.force_login(a.user)
    # when A opens the parcel list
    response = client.get(reverse("workspace:parcel-list"))
    # then only A's parcel is listed, with A's own subtotal
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [a.parcel]
    html = response.content.decode()
    assert html.count('data-testid="parcel-row"') == 1
    assert reverse("workspace:parcel-detail", args=[a.parcel.pk]) in html
    assert reverse("workspace:parcel-detail", args=[b.parcel.pk]) not in html
    assert str(only_b.number) not in html
    assert text_of(html, "parcel-own-subtotal") == "300.000 ₫"
    assert text_of(html, "count-placed") == "1"


def test_parcel_list_filters_by_status_and_ignores_an_unknown_one(client, two_sides):
    # given A's one parcel, still placed
    a, _b = two_sides
    client.force_login(a.user)
    # when A filters on shipped parcels, then none are listed and the page says so
    shipped = client.get(reverse("workspace:parcel-list"), {"status": "shipped"})
    assert list(shipped.context["page"].object_list) == []
    assert 'data-testid="parcel-empty"' in shipped.content.decode()
    # when A filters on a status that does not exist, then the filter is ignored
    unknown = client.get(reverse("workspace:parcel-list"), {"status": "nonsense"})
    assert unknown.context["status"] == ""
    assert list(unknown.context["page"].object_list) == [a.parcel]


def test_parcel_list_without_orders_explains_what_will_appear(client, two_sides):
    # given a producer member whose producer has had no order yet
    a, _b = two_sides
    Parcel.objects.all().delete()
    client.force_login(a.user)
    # when they open the parcel list
    response = client.get(reverse("workspace:parcel-list"))
    # then a helpful empty state in Vietnamese is shown
    assert "Chưa có đơn hàng nào." in response.content.decode()


def test_another_producers_parcel_is_not_found(client, two_sides):
    # given A signed in, and B's parcel of the same order
    a, b = two_sides
    client.force_login(a.user)
    # when A opens B's parcel, then it is not found
    detail = client.get(reverse("workspace:parcel-detail", args=[b.parcel.pk]))
    assert detail.status_code == 404
    # when A tries to move B's parcel along, then it is not found either
    move = client.post(
        reverse("workspace:parcel-move", args=[b.parcel.pk]),
        {"status": "packed"},
    )
    assert move.status_code == 404
    # and B's parcel is unchanged, with nothing recorded
    b.parcel.refresh_from_db()
    assert (b.parcel.status, b.parcel.tracking_number) == ("placed", "")
    assert not WorkspaceChange.objects.exists()


def test_parcel_detail_offers_only_the_producers_next_step(client, two_sides):
    # given A's parcel, placed
    a, _b = two_sides
    client.force_login(a.user)
    # when A opens it
    html = client.get(reverse("workspace:parcel-detail", args=[a.parcel.pk])).content.decode()
    # then the one step offered is packing (cancelling stays with operators)
    assert text_of(html, "parcel-status") == "Đã đặt"
    assert 'data-testid="move-packed"' in html
    assert 'data-testid="move-shipped"' not in html
    assert 'value="cancelled"' not in html


def test_move_view_accepts_only_post(client, two_sides):
    a, _b = two_sides
    client.force_login(a.user)
    response = client.get(reverse("workspace:parcel-move", args=[a.parcel.pk]))
    assert response.status_code == 405


def test_parcel_is_packed_then_shipped_only_with_a_tracking_number(client, two_sides):
    # given A signed in with their placed parcel
    a, _b = two_sides
    client.force_login(a.user)
    move = reverse("workspace:parcel-move", args=[a.parcel.pk])
    detail = reverse("workspace:parcel-detail", args=[a.parcel.pk])
    # when A marks it packed
    packed = client.post(move, {"status": "packed"})
    # then it is packed, and A is told so
    assert packed["Location"] == detail
    assert any("Đã đóng gói" in m for m in messages_of(packed))
    a.parcel.refresh_from_db()
    assert a.parcel.status == "packed"
    # and the next step offered is shipping, with a tracking number
    html = client.get(detail).content.decode()
    assert 'data-testid="move-shipped"' in html and 'name="tracking_number"' in html

    # when A marks it shipped without a tracking number
    refused = client.post(move, {"status": "shipped", "tracking_number": "  "})
    # then it is refused with the reason, and the parcel is unchanged
    assert refused["Location"] == detail
    assert messages_of(refused) == ["Cần mã vận đơn khi giao cho đơn vị vận chuyển."]
    a.parcel.refresh_from_db()
    assert (a.parcel.status, a.parcel.tracking_number) == ("packed", "")

    # when A marks it shipped with a tracking number
    shipped = client.post(move, {"status": "shipped", "tracking_number": "GHN123456"})
    # then the parcel is shipped with that number
    assert shipped["Location"] == detail
    a.parcel.refresh_from_db()
    assert (a.parcel.status, a.parcel.tracking_number) == ("shipped", "GHN123456")
    # and each move is recorded, with A as the actor
    last = WorkspaceChange.objects.filter(producer=a.producer).first()
    assert last.actor == a.user and not last.by_support
    assert last.changes == {
        "status": ["packed", "shipped"],
        "tracking_number": ["", "GHN123456"],
    }
    assert WorkspaceChange.objects.filter(producer=a.producer).count() == 2
    # and the page shows the new status and tracking number
    html = client.get(detail).content.decode()
    assert text_of(html, "parcel-status") == "Đang giao"
    assert text_of(html, "tracking-number") == "GHN123456"


def test_producer_cannot_cancel_a_parcel(client, two_sides):
    # given A signed in with their placed parcel
    a, _b = two_sides
    client.force_login(a.user)
    # when A posts a cancel by hand
    response = client.post(
        reverse("workspace:parcel-move", args=[a.parcel.pk]), {"status": "cancelled"}
    )
    # then it is refused and nothing changes
    assert len(messages_of(response)) == 1
    a.parcel.refresh_from_db()
    assert a.parcel.status == "placed"
    assert not WorkspaceChange.objects.exists()


def test_paid_card_order_has_nothing_to_collect(client, two_sides):
    # given A's parcel on an order already paid by card
    a, _b = two_sides
    order = a.parcel.order
    order.payment_method, order.payment_state = "card", "paid"
    order.save()
    client.force_login(a.user)
    # when A opens the parcel
    html = client.get(reverse("workspace:parcel-detail", args=[a.parcel.pk])).content.decode()
    # then there is no amount to collect on delivery
    assert 'data-testid="cod-amount"' not in html
    assert "Không thu tiền khi giao kiện này." in html


def test_parcel_list_sums_only_own_lines_per_parcel(client, two_sides, hanoi_delivery):
    # given a second order with two of A's products and one of B's
    a, b = two_sides
    cup = certified_product_create(title="Chén gốm", producer=a.producer, price=Decimal("40000"))
    order_place(
        basket=basket_with((a.product, 1), (cup, 3), (b.product, 2)),
        delivery=hanoi_delivery,
        email="khach3@example.vn",
    )
    client.force_login(a.user)
    # when A opens the list
    page = client.get(reverse("workspace:parcel-list")).context["page"]
    # then each parcel carries A's own units and subtotal, newest order first
    assert [(p.own_units, p.own_subtotal) for p in page.object_list] == [
        (4, Decimal("270000")),
        (2, Decimal("300000")),
    ]


def test_parcel_is_shipped_with_its_carrier_for_the_buyer_and_the_back_office(
    client, admin_client, two_sides
):
    # given A signed in with a packed parcel
    a, _b = two_sides
    client.force_login(a.user)
    move = reverse("workspace:parcel-move", args=[a.parcel.pk])
    detail = reverse("workspace:parcel-detail", args=[a.parcel.pk])
    client.post(move, {"status": "packed"})
    # then the shipping form suggests the common carriers and takes any other
    html = client.get(detail).content.decode()
    assert 'name="carrier"' in html and 'list="parcel-carriers"' in html
    assert '<option value="Giao Hàng Tiết Kiệm (GHTK)">' in html
    # when A marks it shipped with Viettel Post and a tracking number
    client.post(
        move,
        {"status": "shipped", "carrier": " Viettel Post ", "tracking_number": "VTP123456"},
    )
    # then both are stored, and recorded in the history
    a.parcel.refresh_from_db()
    assert (a.parcel.status, a.parcel.carrier, a.parcel.tracking_number) == (
        "shipped",
        "Viettel Post",
        "VTP123456",
    )
    last = WorkspaceChange.objects.filter(producer=a.producer).first()
    assert last.changes["carrier"] == ["", "Viettel Post"]
    # and the workspace, the buyer's timeline and the back office show the carrier
    assert text_of(client.get(detail).content.decode(), "carrier") == "Viettel Post"
    shipped = next(step for step in a.parcel.timeline() if step["state"] == "current")
    assert (shipped["carrier"], shipped["note"]) == ("Viettel Post", "VTP123456")
    order_page = admin_client.get(
        reverse("dashboard:order-detail", kwargs={"number": a.parcel.order.number})
    ).content.decode()
    assert "Viettel Post" in order_page and "VTP123456" in order_page
