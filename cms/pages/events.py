"""Conferences, workshops and trade-connection sessions: an index with
upcoming and past events, and one page per event."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from cms.pages.common import DatedIndexPage, DatedPage, PromoPage


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị")
    WORKSHOP = "workshop", _("Hội thảo, tập huấn")
    TRADE_CONNECTION = "trade-connection", _("Kết nối giao thương")


class EventIndexPage(DatedIndexPage):
    """The events section; organizers may add events only here."""

    subpage_types = ["cms.EventPage"]
    template = "cms/event_index_page.html"

    class Meta:
        verbose_name = _("danh sách sự kiện")


class EventPage(DatedPage):
    """One conference, workshop or trade-connection session."""

    kind = models.CharField(
        _("loại sự kiện"),
        max_length=20,
        choices=EventKind.choices,
        default=EventKind.TRADE_CONNECTION,
    )

    content_panels = (
        PromoPage.content_panels
        + [FieldPanel("kind")]
        + DatedPage.dated_panels
        + [FieldPanel("body")]
        + DatedPage.contact_panels
    )
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []
    template = "cms/event_page.html"

    class Meta:
        verbose_name = _("sự kiện")


# assigned here because EventPage is defined after its index
EventIndexPage.child_model = EventPage
