"""The database backend forgives one typo per word and ranks title matches
first (issue 15, finding 7): "gom su bat trag" gave nothing, and "tra sen"
showed a lacquer vase before the lotus tea.

These run on PostgreSQL, the suite's database; test_database_typos_sqlite.py
runs the same expressions on SQLite, the embedded default.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue.search_text import search_text_refresh
from search.backends.base import SearchRequest
from search.backends.database import DatabaseBackend
from search.typos import one_typo_pattern
from tests.factories import certified_product_create

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


def described(product, description: str):
    """`product` with a description, its search text refreshed as the
    producer workspace does."""
    product.description = description
    product.save()
    search_text_refresh(Product.objects.filter(pk=product.pk))
    return product


@pytest.fixture
def shop():
    gom = certified_product_create(title="Gốm sứ Bát Tràng men lam")
    tea = certified_product_create(title="Trà sen Tây Hồ", product_type="drink")
    che = certified_product_create(title="Chè búp Trung du", product_type="drink")
    # newer and far more popular than the tea: without title-first ranking
    # it comes first for "tra sen"
    vase = described(
        certified_product_create(title="Bình sơn mài Hạ Thái"),
        "Bình cắm hoa sen, hợp bày cạnh ấm trà sen ngày Tết.",
    )
    ProductRecord.objects.create(product=vase, num_views=500, num_purchases=40)
    return {"gom": gom, "tea": tea, "che": che, "vase": vase}


def search(text: str, **fields):
    return DatabaseBackend().search(SearchRequest(on=date.today(), text=text, **fields))


def test_a_typo_in_one_word_still_finds_bat_trang(shop):
    result = search("gom su bat trag")
    assert result.ids == [shop["gom"].pk]
    assert result.total == 1


@pytest.mark.parametrize(
    "typed",
    [
        "trag",  # a letter missing
        "trangg",  # a letter too many
        "tranq",  # a letter wrong
        "trnag",  # two letters swapped
    ],
)
def test_one_typo_in_a_word_matches(shop, typed):
    assert search(f"bat {typed}").ids == [shop["gom"].pk]


@pytest.mark.parametrize("typed", ["tqanq", "trqnq", "tarngg", "rtnag"])
def test_two_typos_in_a_word_do_not(shop, typed):
    assert search(f"bat {typed}").ids == []


def test_short_words_are_not_guessed(shop):
    # "bat" is one letter from "bac", but three letters is too short to guess
    assert search("gom su bac trang").ids == []


def test_tra_sen_puts_the_lotus_tea_before_the_vase_that_mentions_it(shop):
    result = search("tra sen")
    assert result.ids == [shop["tea"].pk, shop["vase"].pk]
    # other sorts keep their own order
    assert search("tra sen", sort="popular").ids == [shop["vase"].pk, shop["tea"].pk]


def test_a_title_match_with_a_typo_still_comes_first(shop):
    result = search("tra senn")
    assert result.ids == [shop["tea"].pk, shop["vase"].pk]


def test_a_word_found_as_typed_leaves_typos_out(shop):
    # "trung" is one typo from "trang": found as typed, it finds only itself
    assert search("trung").ids == [shop["che"].pk]
    assert search("trang").ids == [shop["gom"].pk]
    # with nothing found as typed, both neighbours of "trxng" are offered,
    # with facets counted on the same set
    result = search("trxng")
    assert set(result.ids) == {shop["gom"].pk, shop["che"].pk}
    assert sum(count for _value, count in result.facets["stars"]) == 2


def test_a_typo_search_reads_the_search_text_with_its_regex_once(shop):
    # the count and each of the 7 facet counts reuse the ids it found
    with CaptureQueriesContext(connection) as queries:
        result = search("gom su bat trag")
    assert result.ids == [shop["gom"].pk] and len(result.facets) == 7
    regex_reads = [q for q in queries if '"catalogue_product"."search_text"::text ~' in q["sql"]]
    assert len(regex_reads) == 1


def test_the_typo_pattern_is_one_edit_exactly():
    pattern = re.compile(one_typo_pattern("trang"))
    for near in ("trang", "trag", "tran", "rang", "trangs", "xtrang", "tarng", "trnag", "trwng"):
        assert pattern.search(f"gom su bat {near} men lam"), near
    for far in ("tr", "trg", "tarngs", "rtnag", "trxxg", "atrangb"):
        assert not pattern.search(f"gom su bat {far} men lam"), far
    # whole words only
    assert not pattern.search("gom batrangkok")
