"""iCalendar (RFC 5545) for fairs and events, so visitors can add them to
Google Calendar, Outlook or a phone's calendar, or subscribe to the feed.

Times are written in UTC: every calendar client converts them to the
reader's zone, and no VTIMEZONE block is needed.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Cho OCOP//Lich hoi cho va su kien//VI"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def page_location(page) -> str:
    """Venue and address on one line, without repeating the venue when the
    address already starts with it."""
    name, address = page.venue_name.strip(), page.venue_address.strip()
    if not address or address.startswith(name):
        return address or name
    return f"{name}, {address}" if name else address


def page_event(page, *, host: str, request=None) -> Event:
    """One VEVENT for a fair or event page.

    The UID is `<page pk>@<host>` so a calendar that subscribed to the feed
    updates the event in place when the page changes, instead of adding a
    copy."""
    event = Event()
    event.add("uid", f"{page.pk}@{host}")
    event.add("dtstamp", _utc(timezone.now()))
    if page.last_published_at:
        event.add("last-modified", _utc(page.last_published_at))
    event.add("dtstart", _utc(page.start_at))
    event.add("dtend", _utc(page.end_at))
    event.add("summary", page.title)
    location = page_location(page)
    if location:
        event.add("location", location)
    if page.intro:
        event.add("description", page.intro)
    url = page.get_full_url(request)
    if url:
        event.add("url", url)
    if page.latitude is not None and page.longitude is not None:
        event.add("geo", (float(page.latitude), float(page.longitude)))
    if page.contact_email:
        organizer = vCalAddress(f"mailto:{page.contact_email}")
        if page.organizer:
            organizer.params["cn"] = vText(page.organizer)
        event.add("organizer", organizer)
    event.add("categories", [capfirst(str(page._meta.verbose_name))])
    return event


def calendar_build(pages, *, host: str, request=None, name: str = "") -> Calendar:
    """A VCALENDAR with one VEVENT per page, in the order given."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name or _("Hội chợ và sự kiện OCOP"))
    for page in pages:
        calendar.add_component(page_event(page, host=host, request=request))
    return calendar
