"""The workspace's front page: own revenue by Vietnamese month, best
sellers, parcels waiting, product counts; and who may see it."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.order.services import order_place, parcel_move
from marketplace.producers.workspace.views.summary import monthly_revenue
from tests.factories import certified_product_create
from tests.order.conftest import basket_with

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def text_of(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, f"no element with data-testid={testid}"
    return found.group(1).replace("\xa0", " ").strip()


def test_summary_shows_own_revenue_best_sellers_and_waiting_parcels(
    client, two_sides, hanoi_delivery
):
    # given the mixed order (A: 2 × 150.000, B: 1 × 420.000) and a second
    # order where A sells 5 cups at 40.000
    a, b = two_sides
    cup = certified_product_create(title="Chén gốm", producer=a.producer, price=Decimal("40000"))
    order_place(
        basket=basket_with((cup, 5), (b.product, 1)),
        delivery=hanoi_delivery,
        email="khach2@example.vn",
    )
    client.force_login(a.user)
    # when A opens the workspace
    response = client.get(reverse("workspace:summary"))
    # then this month's revenue is A's own lines only (300.000 + 200.000)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["this_month"]["amount"] == Decimal("500000")
    assert text_of(html, "revenue-this-month") == "500.000 ₫"
    # and the chart has twelve months, this month the tallest
    months = response.context["months"]
    assert len(months) == 12
    assert [m["amount"] for m in months[:-1]] == [Decimal(0)] * 11
    assert months[-1]["percent"] == 100
    assert html.count('data-testid="revenue-bar"') == 12
    assert 'data-testid="revenue-chart"' in html
    # and best sellers are ranked by units
    assert [
        (row["name"], row["units"], row["revenue"]) for row in response.context["top_products"]
    ] == [
        ("Chén gốm", 5, Decimal("200000")),
        ("Bình gốm men lam", 2, Decimal("300000")),
    ]
    # and both of A's parcels wait, oldest first
    assert response.context["open_count"] == 2
    assert text_of(html, "open-parcel-count") == "2"
    assert response.context["oldest_open"][0] == a.parcel
    # and nothing of B's shows
    assert "Lụa Vạn Phúc" not in html
    assert "420.000" not in html


def test_summary_leaves_out_cancelled_parcels_and_counts_shipped_ones(client, two_sides):
    # given A's parcel cancelled by an operator, and B's shipped
    a, b = two_sides
    parcel_move(parcel=a.parcel, status="cancelled")
    parcel_move(parcel=b.parcel, status="packed")
    client.force_login(a.user)
    # when A opens the workspace
    response = client.get(reverse("workspace:summary"))
    # then the cancelled sale counts for nothing, and nothing waits
    assert response.context["this_month"]["amount"] == Decimal(0)
    assert response.context["top_products"] == []
    assert response.context["open_count"] == 0
    # while B's packed parcel still counts for B
    client.force_login(b.user)
    response = client.get(reverse("workspace:summary"))
    assert response.context["this_month"]["amount"] == Decimal("420000")
    assert response.context["open_count"] == 1


def test_monthly_revenue_groups_by_vietnamese_month(two_sides):
    # given A's sale placed at 00:30 on 1 March in Hà Nội (still February in UTC)
    a, _b = two_sides
    Order.objects.filter(pk=a.parcel.order_id).update(
        date_placed=datetime(2025, 3, 1, 0, 30, tzinfo=VIETNAM)
    )
    # when the months up to March 2025 are summed
    months = monthly_revenue(a.producer, today=date(2025, 3, 15))
    # then the sale is March's, and the other eleven months are zero
    assert [m["month"] for m in months][:2] == [date(2024, 4, 1), date(2024, 5, 1)]
    assert months[-1] == {"month": date(2025, 3, 1), "amount": Decimal("300000"), "percent": 100}
    assert months[-2]["amount"] == Decimal(0) and months[-2]["percent"] == 0
    # and a sale older than twelve months is left out
    Order.objects.filter(pk=a.parcel.order_id).update(
        date_placed=datetime(2024, 3, 31, 23, 0, tzinfo=VIETNAM)
    )
    assert sum(m["amount"] for m in monthly_revenue(a.producer, today=date(2025, 3, 15))) == 0


def test_summary_counts_products_listable_and_unpriced(client, two_sides):
    # given A's priced product, one without a price, and one whose certificate expired
    a, _b = two_sides
    certified_product_create(title="Bát gốm", producer=a.producer, price=None)
    certified_product_create(
        title="Đĩa gốm",
        producer=a.producer,
        issued_on=date(2019, 1, 1),
        expiry_date=date(2022, 1, 1),
    )
    client.force_login(a.user)
    # when A opens the workspace
    response = client.get(reverse("workspace:summary"))
    # then the counts say three products, one listable, one without a price
    assert response.context["products"] == {"total": 3, "listable": 1, "unpriced": 1}
    html = response.content.decode()
    assert text_of(html, "products-listable") == "1"
    assert 'data-testid="products-unpriced"' in html


def test_summary_sends_a_user_without_a_producer_to_claim_one(client, db):
    # given a signed-in user who is no producer's member
    user = get_user_model().objects.create_user(
        username="khach", email="khach@example.vn", password="mat-khau-123"
    )
    client.force_login(user)
    # when they open the workspace, then they are sent to find their producer
    response = client.get(reverse("workspace:summary"))
    assert response.status_code == 302
    assert response["Location"] == reverse("producers:claim-find")


def test_summary_asks_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(reverse("workspace:summary"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))
