"""The fault suite's site: one gunicorn (production settings, 3 workers) and
one Celery worker for this package's tests, behind Toxiproxy
(tests/faults/site.py). Package scope: it is stopped before
tests/multiprocess starts its own site on the same database and Redis.

The site database is the test database's name with `_site`
(`ocop_faults_site` for DATABASE_URL=…/ocop_faults), kept between runs and
migrated each run; FAULTS_FRESH_DB=1 rebuilds it from nothing (several
minutes). Its Redis database is the test run's own (flushed at start), its
indexes the test run's names with `-site` (dropped at the end). The fault ×
page table is written to var/fault-matrix.md.
"""

import html
import os
import re
import secrets

import pytest
import requests

from tests.faults.matrix import Catalogue, Ledger, matrix_write
from tests.faults.site import PRODUCT_LINK, Site, SiteConfig


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: drives the real site under gunicorn with Toxiproxy faults"
    )


@pytest.fixture(scope="package")
def site():
    config = SiteConfig.from_test_env("faults")
    site = Site(config)
    site.redis_flush()
    site.database_prepare(fresh=os.environ.get("FAULTS_FRESH_DB") == "1")
    site.static_prepare()
    try:
        site.start(while_booting=site.index_build)
        yield site
    finally:
        site.stop()
        site.indexes_drop()


@pytest.fixture(scope="package")
def catalogue(site) -> Catalogue:
    """A listable product from the shop page, with plenty of stock for the
    suite's orders, and its certificate."""
    page = requests.get(site.base_url + "/shop/", timeout=30)
    page.raise_for_status()
    path, pk = PRODUCT_LINK.findall(page.text)[0]
    site.sql(
        "UPDATE partner_stockrecord SET num_in_stock = COALESCE(num_allocated, 0) + 100000 "
        "WHERE product_id = %s",
        (int(pk),),
    )
    title, number = site.sql(
        "SELECT p.title, c.number FROM catalogue_product p "
        "JOIN registry_certificate c ON c.id = p.certificate_id WHERE p.id = %s",
        (int(pk),),
    )[0]
    words = re.findall(r"\w+", html.unescape(title))
    return Catalogue(
        product_path=path,
        product_pk=int(pk),
        product_title=title,
        certificate_number=number,
        search_query=" ".join(words[:2]),
    )


@pytest.fixture(scope="package")
def ledger():
    ledger = Ledger(run=secrets.token_hex(3))
    yield ledger
    matrix_write(ledger)
