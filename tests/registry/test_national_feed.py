"""The benchmark's national-shaped feed has the shape issue 12 asks for (no database)."""

from marketplace.registry.records import record_validate
from tests.bench.national_feed import feed_profile, national_feed, shuffled


def test_national_feed_shape_is_repeatable_and_parses():
    records = national_feed(seed=7, products=2000, producers=1000)

    assert records == national_feed(seed=7, products=2000, producers=1000)
    assert [r["id"] for r in records] == sorted({r["id"] for r in records})
    profile = feed_profile(records)  # identity: (folded name, 2025 province)
    assert profile["records"] == 2000
    assert profile["producers"] == 1000
    assert profile["provinces"] == 34
    assert profile["producers_with_both_address_forms"] == 333
    assert profile["names_shared_across_provinces"] == 10
    assert {r["type"] for r in records} == {"food", "drink", "herbs", "cloth", "keepsake", "travel"}
    assert {r["ocop_star"] for r in records} == {3, 4, 5}
    for record in records[:200]:
        record_validate(record)  # raises on anything the sync would reject

    again = shuffled(records, seed=8)
    assert again != records
    assert sorted(again, key=lambda r: r["id"]) == records
