"""The site with two web processes behind nginx (tests/multiprocess/balancer.py)
for this package's tests, then stopped: package scope, so it never runs
beside the fault suite's site (same database and Redis, one queue).

The site database is the fault suite's (the test database's name with
`_site`), kept between runs and migrated each run; its media bucket is
`<name>-media` on the S3 store. A shopper and a producer's member are
created for the run with fresh addresses.
"""

import os
import re
import secrets
from dataclasses import dataclass

import pytest
import requests

from tests.faults.site import PRODUCT_LINK, SiteConfig
from tests.multiprocess.balancer import BalancedSite

PASSWORD = "mat-khau-nhieu-may"


@dataclass(frozen=True)
class People:
    shopper_email: str
    producer_email: str
    lockout_email: str
    password: str


@dataclass(frozen=True)
class Product:
    path: str
    pk: int


@pytest.fixture(scope="package")
def site():
    config = SiteConfig.from_test_env("multiprocess", workers=2)
    site = BalancedSite(config)
    site.redis_flush()
    site.database_prepare(fresh=os.environ.get("FAULTS_FRESH_DB") == "1")
    site.static_prepare()
    site.media_store_prepare()
    try:
        site.start(while_booting=site.index_build)
        yield site
    finally:
        site.stop()
        site.indexes_drop()


@pytest.fixture
def both(site):
    """Both web processes up and every proxy clear, whatever the test
    before did (the kill test leaves one process dead)."""
    site.web_faults_clear()
    restarted = [web for web in site.WEBS if not site.web_alive(web)]
    for web in restarted:
        site.web_start(web)
    if restarted:
        site.wait_alternating()
    yield site
    site.web_faults_clear()


@pytest.fixture(scope="package")
def product(site) -> Product:
    """A listable product from the shop page, with plenty of stock."""
    page = requests.get(site.base_url + "/shop/", timeout=30)
    page.raise_for_status()
    path, pk = PRODUCT_LINK.findall(page.text)[0]
    site.sql(
        "UPDATE partner_stockrecord SET num_in_stock = COALESCE(num_allocated, 0) + 100000 "
        "WHERE product_id = %s",
        (int(pk),),
    )
    return Product(path=path, pk=int(pk))


@pytest.fixture(scope="package")
def people(site, product) -> People:
    """A shopper's account, a member of the product's producer, and an
    account to lock out; earlier runs' failed sign-ins forgotten (they all
    come from 127.0.0.1, which locks too)."""
    run = secrets.token_hex(3)
    people = People(
        shopper_email=f"khach-{run}@example.vn",
        producer_email=f"chu-the-{run}@example.vn",
        lockout_email=f"khoa-{run}@example.vn",
        password=PASSWORD,
    )
    site.sql("DELETE FROM axes_accessattempt")
    out = site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from oscar.core.loading import get_model\n"
        "from marketplace.producers.models import ProducerMembership\n"
        "User = get_user_model()\n"
        f"User.objects.create_user(username='k{run}', email='{people.shopper_email}', "
        f"password='{PASSWORD}')\n"
        f"User.objects.create_user(username='l{run}', email='{people.lockout_email}', "
        f"password='{PASSWORD}')\n"
        f"record = get_model('partner', 'StockRecord').objects.filter(product_id={product.pk})"
        ".select_related('partner').first()\n"
        f"member = User.objects.create_user(username='p{run}', email='{people.producer_email}', "
        f"password='{PASSWORD}')\n"
        "ProducerMembership.objects.create(user=member, producer=record.partner.producer)\n"
        "print('people', member.pk)\n",
    )
    assert re.search(r"people \d+", out), out
    return people
