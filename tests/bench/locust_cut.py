"""Locust shoppers for the Redis-cut benchmark (`tests/bench/run.py --only
faults`, issue 13): they browse, search and check out cash on delivery
against the real site while the driver cuts Redis for 20 s.

Run by the driver, which passes, through the environment:

- LOCUST_CUT_PRODUCTS: a JSON file of `{"path", "pk"}` products to look at
  and buy (a few of them scarce, so shoppers race for the last units);
- LOCUST_CUT_WORDS: a JSON file of search words;
- LOCUST_CUT_START: a file to write the start time to, when shoppers start;
- LOCUST_CUT_LOG: where to write one JSON line per request (start, end,
  name, status, ok) and per order number a shopper saw, for the driver to
  split errors into before, during and after the cut;
- LOCUST_CUT_RUN: this run's mark, put in every shopper's email so the
  driver finds this run's orders.
"""

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.faults.site import (  # noqa: E402 (after the path above)
    CHECKOUT_SUMMARY_PATH,
    ORDER_NUMBER,
    checkout_form,
    cookies_allow_secure_over_http,
    shown_total,
)

PRODUCTS = json.loads(Path(os.environ.get("LOCUST_CUT_PRODUCTS", "/dev/null")).read_text() or "[]")
SCARCE = [product for product in PRODUCTS if product.get("scarce")]
WORDS = json.loads(Path(os.environ.get("LOCUST_CUT_WORDS", "/dev/null")).read_text() or "[]")
RUN = os.environ.get("LOCUST_CUT_RUN", "dev")
# Patient enough that a queue behind busy workers is not counted as an
# error; a request caught in the cut gives up long before this.
TIMEOUT = 30
_records: list[dict] = []
_shopper_ids = itertools.count(1)


@events.test_start.add_listener
def _started(**_kwargs):
    # the driver times the cut from here
    path = os.environ.get("LOCUST_CUT_START")
    if path:
        Path(path).write_text(str(time.time()))


@events.request.add_listener
def _request(request_type, name, response_time, response, exception, start_time=None, **_kw):
    start = start_time or (time.time() - response_time / 1000)
    _records.append(
        {
            "kind": "request",
            "start": start,
            "end": start + response_time / 1000,
            "name": f"{request_type} {name}",
            "status": getattr(response, "status_code", None) or None,
            "ok": exception is None,
        }
    )


@events.quitting.add_listener
def _write_log(**_kwargs):
    path = os.environ.get("LOCUST_CUT_LOG")
    if path:
        with open(path, "w") as log:
            for record in _records:
                log.write(json.dumps(record) + "\n")


class Shopper(HttpUser):
    """A guest who looks around, searches, and now and then buys one thing
    cash on delivery."""

    wait_time = between(1, 4)

    def on_start(self):
        cookies_allow_secure_over_http(self.client)
        self.email = f"bench.{next(_shopper_ids)}.{RUN}@bench.example.vn"

    def _product(self) -> dict:
        return random.choice(PRODUCTS)

    @task(3)
    def browse(self):
        self.client.get("/", name="/", timeout=TIMEOUT)
        self.client.get("/shop/", name="/shop/", timeout=TIMEOUT)
        self.client.get(self._product()["path"], name="/shop/[product]/", timeout=TIMEOUT)

    @task(2)
    def search(self):
        words = random.sample(WORDS, k=min(len(WORDS), random.choice((1, 2))))
        self.client.get(
            "/shop/search/", params={"q": " ".join(words)}, name="/shop/search/", timeout=TIMEOUT
        )

    @task(1)
    def checkout_cod(self):
        # half the buyers want one of the few scarce products
        product = random.choice(SCARCE) if SCARCE and random.random() < 0.5 else self._product()
        self.client.get(product["path"], name="/shop/[product]/", timeout=TIMEOUT)
        # the shared product page sets no csrftoken cookie: the page's script
        # asks the token endpoint (js/basket-add.js), and so does this buyer
        if not self.client.cookies.get("csrftoken"):
            self.client.get("/csrf-token/", name="/csrf-token/", timeout=TIMEOUT)
        csrf = self.client.cookies.get("csrftoken", "")
        self.client.post(
            f"/shop/basket/add/{product['pk']}/",
            data={"csrfmiddlewaretoken": csrf, "quantity": 1},
            name="/shop/basket/add/[pk]/",
            timeout=TIMEOUT,
        )
        self.client.get("/shop/checkout/", name="/shop/checkout/", timeout=TIMEOUT)
        # the page's script fetches the total for the province picked
        summary = self.client.get(
            CHECKOUT_SUMMARY_PATH, name="/shop/checkout/tong-tien/", timeout=TIMEOUT
        )
        placed = self.client.post(
            "/shop/checkout/",
            data=checkout_form(
                email_address=self.email, csrf=csrf, shown=shown_total(summary.text or "")
            ),
            name="POST /shop/checkout/",
            allow_redirects=False,  # the session cookie comes with this answer
            timeout=TIMEOUT,
        )
        location = placed.headers.get("Location", "") if placed.status_code == 302 else ""
        if not re.search(r"/checkout/thank-you/", location):
            return  # refused (sold out, basket empty) or failed: no order shown
        thanks = self.client.get(location, name="/shop/checkout/thank-you/", timeout=TIMEOUT)
        found = ORDER_NUMBER.search(thanks.text or "")
        if found:
            _records.append({"kind": "order_seen", "number": found.group(1), "at": time.time()})
