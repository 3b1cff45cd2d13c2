"""The demo's data is JSON under `marketplace/demo/data/`, and `demo_setup`
turns every entry of it into a live page, so a file that fails to load or
an entry that is skipped shows here."""

import json

import pytest

from cms.models import CraftVillagePage, EventPage, FairPage
from marketplace.demo.content import DATA_DIR
from marketplace.demo.families import FAMILIES


def _data(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def test_every_demo_data_file_is_json_that_loads():
    # given the demo's data folder
    files = sorted(path.name for path in DATA_DIR.glob("*.json"))
    # then it holds the pages, the site values, the families and the snapshot
    assert files == [
        "events.json",
        "fairs.json",
        "families.json",
        "hanoi_snapshot.json",
        "people.json",
        "site.json",
        "villages.json",
    ]
    # and each one parses to something non-empty
    assert all(_data(name) for name in files)


def test_pages_name_only_producer_families_that_exist():
    # given the families the snapshot is built from
    keys = {family.key for family in FAMILIES}
    assert len(keys) == len(_data("families.json")["families"]) == 21
    # when the fairs and villages name families
    fairs = _data("fairs.json")
    named = {key for fair in fairs["fairs_2020"] for key in fair["exhibitors"]}
    named |= set(fairs["sample_fair"]["exhibitors"])
    named |= {key for village in _data("villages.json")["villages"] for key in village["families"]}
    # then every name is one of them
    assert named and named <= keys


@pytest.mark.django_db
def test_demo_setup_publishes_a_page_for_every_village_fair_and_event_of_its_json(
    demo_site, client
):
    # given the JSON the demo is seeded from
    villages = _data("villages.json")["villages"]
    fairs = _data("fairs.json")
    fair_specs = [*fairs["fairs_2020"], fairs["sample_fair"]]
    events = _data("events.json")["events_2020"]
    assert (len(villages), len(fair_specs), len(events)) == (5, 3, 3)
    # when the demo site has been set up (the fixture), then every entry is a
    # live page under its section that answers at its address, with its title
    for model, specs in ((CraftVillagePage, villages), (FairPage, fair_specs), (EventPage, events)):
        assert model.objects.live().count() == len(specs)
        for spec in specs:
            page = model.objects.live().get(slug=spec["slug"])
            assert page.title == spec["title"]
            response = client.get(page.url, follow=True)
            assert response.status_code == 200, page.url
            assert spec["title"] in response.content.decode()
