"""One web process dies (SIGKILL, master and workers) while a shopper's
"Đặt hàng" is in it; nginx answers that POST 502 (it does not resend a POST
the process may have acted on), the shopper sends the form again, nginx
takes it to the survivor, and the shopper has exactly one order.

The process is held inside the checkout by slowing its own way to
PostgreSQL (every answer waits), then killed at one of two moments:

- before-commit: mid-way through placing the order; PostgreSQL rolls the
  dead connection's transaction back, and the retry places the order;
- after-commit: as soon as the order row is committed, before the answer
  leaves; the retry finds the basket already placed and shows that order.
"""

import re
import secrets
import threading
import time

import pytest
import requests

from tests.faults.site import (
    CHECKOUT_SUMMARY_PATH,
    ORDER_NUMBER,
    checkout_form,
    shown_total,
)
from tests.multiprocess.balancer import PatientVisit as Visit
from tests.multiprocess.balancer import served_by

# each answer from PostgreSQL to the doomed process waits this long
DB_LATENCY_MS = 150
PLACING = re.compile(r'name="placing" value="([^"]+)"')


def _orders(site, email: str) -> list[str]:
    rows = site.sql("SELECT number FROM order_order WHERE guest_email = %s", (email,))
    return [row[0] for row in rows]


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_process_killed_mid_checkout_leaves_one_order_after_the_retry(both, product, moment):
    site = both
    email = f"giet-{moment}-{secrets.token_hex(3)}@example.vn"
    visit = Visit(site)
    visit.get(product.path)
    added = visit.post(
        f"/shop/basket/add/{product.pk}/", data={"csrfmiddlewaretoken": visit.csrf, "quantity": 1}
    )
    assert added.status_code == 302
    checkout = visit.get("/shop/checkout/")
    assert checkout.status_code == 200
    summary = visit.get(CHECKOUT_SUMMARY_PATH)
    form = {
        **checkout_form(email_address=email, csrf=visit.csrf, shown=shown_total(summary.text)),
        # the basket the page places, as the browser posts it back
        "placing": PLACING.search(checkout.text).group(1),
    }
    # nginx takes turns: the POST goes to the process that did not answer last
    survivor = site.web_of(served_by(summary))
    victim = next(web for web in site.WEBS if web != survivor)
    site.web_fault_apply(victim, "postgres", "latency", latency=DB_LATENCY_MS)

    answer: dict = {}

    def place():
        try:
            answer["response"] = visit.session.post(
                site.base_url + "/shop/checkout/", data=form, allow_redirects=False, timeout=120
            )
        except requests.RequestException as error:
            answer["error"] = error

    posting = threading.Thread(target=place)
    posting.start()
    if moment == "before-commit":
        time.sleep(1.0)
        assert not _orders(site, email), "the order was placed before the kill"
    else:
        deadline = time.monotonic() + 90
        while not _orders(site, email) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _orders(site, email), "the order was never committed"
    assert posting.is_alive(), "the checkout answered before the kill"
    site.web_kill(victim)
    posting.join(timeout=30)
    first = answer.get("response")
    assert first is not None, answer.get("error")
    assert first.status_code == 502, first.status_code
    assert site.web_of(served_by(first)) == victim
    placed_before_retry = _orders(site, email)
    assert len(placed_before_retry) == (0 if moment == "before-commit" else 1)

    # the shopper sends the same form again
    retry = visit.post("/shop/checkout/", data=form)
    assert retry is not None and retry.status_code == 302, retry
    assert site.web_of(served_by(retry)) == survivor
    landed = visit.get(retry.headers["Location"])
    found = ORDER_NUMBER.search(landed.text)
    orders = _orders(site, email)
    assert len(orders) == 1, orders
    assert found and found.group(1) == orders[0], (
        f"the retry landed on {retry.headers['Location']} without the order"
    )
    print(f"\n{moment}: {victim} killed, retry on {survivor}, one order {orders[0]}")
