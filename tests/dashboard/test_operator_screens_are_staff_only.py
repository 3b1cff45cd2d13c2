"""Every operator screen (each URL of our dashboard areas: registry,
payments, producers, lockouts, and any area added later on the same base)
turns away whoever is not staff: a visitor is sent to sign in, and a
signed-in shopper or producer is sent to sign in or refused, whether they
read the page or post to it."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.urls.converters import IntConverter, SlugConverter

from marketplace.dashboard.permissions import OperatorDashboardConfig
from tests.factories import producer_create
from tests.producers.workspace.conftest import member_create

pytestmark = pytest.mark.django_db

# What each converter in an operator URL is filled with: nothing need exist,
# the check comes before any lookup.
SAMPLES = {IntConverter: 1, SlugConverter: "khong-co"}


def _operator_urls() -> list[str]:
    urls = []
    for config in apps.get_app_configs():
        if not isinstance(config, OperatorDashboardConfig):
            continue
        for pattern in config.urls[0]:
            kwargs = {
                name: SAMPLES.get(type(converter), "KHONGCO")
                for name, converter in pattern.pattern.converters.items()
            }
            urls.append(reverse(f"dashboard:{pattern.name}", kwargs=kwargs))
    return urls


OPERATOR_URLS = _operator_urls()


def test_the_walk_covers_every_operator_area():
    # the list below is what the areas serve today; a new area only adds to it
    prefixes = {url.split("/")[2] for url in OPERATOR_URLS}
    assert {"registry", "refunds", "producers", "lockouts"} <= prefixes
    assert len(OPERATOR_URLS) >= 15


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", OPERATOR_URLS)
def test_a_visitor_is_sent_to_sign_in(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def _shopper():
    return get_user_model().objects.create_user("khach", "khach@example.vn", "mat-khau-123")


def _producer_member():
    return member_create(producer_create("HTX Lụa Vạn Phúc"), "thanh-vien")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", OPERATOR_URLS)
@pytest.mark.parametrize("user_create", [_shopper, _producer_member], ids=["shopper", "producer"])
def test_a_signed_in_user_who_is_not_staff_is_turned_away(client, url, method, user_create):
    client.force_login(user_create())
    response = getattr(client, method)(url)
    assert response.status_code == 403 or (
        response.status_code == 302 and "/login/" in response["Location"]
    )


def test_a_producer_sees_no_operator_entry_in_the_dashboard_menu(client):
    client.force_login(_producer_member())
    html = client.get(reverse("workspace:summary")).content.decode()
    assert reverse("dashboard:producers-list") not in html
    assert reverse("dashboard:registry-sync-runs") not in html


def test_an_operator_sees_every_operator_entry_in_the_dashboard_menu(admin_client):
    html = admin_client.get(reverse("dashboard:index")).content.decode()
    for name in (
        "registry-sync-runs",
        "registry-rejected-records",
        "producers-list",
        "lockouts-list",
        "payments-transfers",
    ):
        assert f'href="{reverse(f"dashboard:{name}")}"' in html
