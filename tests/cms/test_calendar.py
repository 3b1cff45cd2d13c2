"""The `.ics` feed of upcoming fairs and events, and one `.ics` per page."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cms.models import EventPage, FairPage
from cms.services import cms_sections_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    return cms_sections_ensure()


def dated_add(parent, model, slug: str, *, starts_in: timedelta, live: bool = True, **fields):
    start = (timezone.now() + starts_in).replace(microsecond=0)
    page = model(
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        slug=slug,
        start_at=start,
        end_at=start + timedelta(days=2),
        venue_name=fields.pop("venue_name", "Cung Văn hóa Hữu nghị Việt Xô"),
        venue_address=fields.pop("venue_address", "91 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội"),
        live=live,
        **fields,
    )
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def events_of(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_upcoming_live_fairs_and_events_only(client, sections):
    # given an upcoming fair and event, a past fair and an upcoming draft fair
    fair = dated_add(
        sections["fairs"],
        FairPage,
        "hoi-cho-sap-toi",
        starts_in=timedelta(days=10),
        intro="Sản phẩm OCOP 3–5 sao của Hà Nội.",
        latitude=Decimal("21.022200"),
        longitude=Decimal("105.843100"),
    )
    event = dated_add(
        sections["events"],
        EventPage,
        "ket-noi-sap-toi",
        starts_in=timedelta(days=3),
        venue_name="Big C Thăng Long",
        venue_address="222 Trần Duy Hưng, Cầu Giấy, Hà Nội",
    )
    past = dated_add(sections["fairs"], FairPage, "hoi-cho-2020", starts_in=timedelta(days=-400))
    draft = dated_add(
        sections["fairs"], FairPage, "hoi-cho-nhap", starts_in=timedelta(days=5), live=False
    )
    # when a calendar app fetches the feed
    response = client.get(reverse("cms-calendar:feed"))
    # then it is an iCalendar with just the upcoming live pages, soonest first
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert reverse("cms-calendar:feed") == "/lich/ocop.ics"
    events = events_of(response)
    assert list(events) == [f"{event.pk}@testserver", f"{fair.pk}@testserver"]
    assert f"{past.pk}@testserver" not in events and f"{draft.pk}@testserver" not in events
    vfair = events[f"{fair.pk}@testserver"]
    assert vfair.decoded("DTSTART") == fair.start_at.astimezone(UTC)
    assert vfair.decoded("DTSTART").utcoffset() == timedelta(0)
    assert vfair.decoded("DTEND") == fair.end_at.astimezone(UTC)
    assert str(vfair["SUMMARY"]) == fair.title
    assert str(vfair["LOCATION"]) == (
        "Cung Văn hóa Hữu nghị Việt Xô, 91 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội"
    )
    assert str(vfair["DESCRIPTION"]) == "Sản phẩm OCOP 3–5 sao của Hà Nội."
    assert str(vfair["URL"]) == fair.get_full_url()
    assert str(vfair["URL"]).endswith("/hoi-cho/hoi-cho-sap-toi/")
    assert (vfair["GEO"].latitude, vfair["GEO"].longitude) == (21.0222, 105.8431)
    vevent = events[f"{event.pk}@testserver"]
    assert str(vevent["LOCATION"]) == "Big C Thăng Long, 222 Trần Duy Hưng, Cầu Giấy, Hà Nội"
    assert "GEO" not in vevent


def test_event_ics_downloads_one_fair_even_after_it_ended(client, sections):
    # given a fair held in December 2020
    fair = dated_add(sections["fairs"], FairPage, "tuan-le-ocop-2020", starts_in=timedelta(0))
    fair.start_at = datetime(2020, 12, 24, 1, 0, tzinfo=UTC)
    fair.end_at = datetime(2020, 12, 30, 14, 0, tzinfo=UTC)
    fair.save_revision().publish()
    # when a visitor downloads its calendar entry
    url = reverse("cms-calendar:event", args=(fair.pk,))
    response = client.get(url)
    # then it is one VEVENT, as an attachment named after the page
    assert url == f"/lich/{fair.pk}.ics"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tuan-le-ocop-2020.ics"'
    events = list(events_of(response).values())
    assert len(events) == 1
    assert events[0].decoded("DTSTART") == datetime(2020, 12, 24, 1, 0, tzinfo=UTC)
    assert str(events[0]["UID"]) == f"{fair.pk}@testserver"


def test_event_ics_is_404_for_drafts_and_other_pages(client, sections):
    # given a draft event, and pages that are not fairs or events
    draft = dated_add(
        sections["events"], EventPage, "su-kien-nhap", starts_in=timedelta(days=5), live=False
    )
    # then none of them has a calendar entry
    for pk in (draft.pk, sections["villages"].pk, sections["home"].pk, 999999):
        assert client.get(reverse("cms-calendar:event", args=(pk,))).status_code == 404


def test_unpublished_fair_leaves_the_feed(client, sections):
    # given an upcoming fair that was published, then taken down
    fair = dated_add(sections["fairs"], FairPage, "hoi-cho-huy", starts_in=timedelta(days=7))
    fair.unpublish()
    # then neither the feed nor its own .ics offer it
    assert events_of(client.get(reverse("cms-calendar:feed"))) == {}
    assert client.get(reverse("cms-calendar:event", args=(fair.pk,))).status_code == 404
