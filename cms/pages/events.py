"""Conferences, workshops and trade-connection sessions: an index with
upcoming and past events, and one page per event."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from cms.pages.common import DatedPage, PromoPage


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị")
    WORKSHOP = "workshop", _("Hội thảo, tập huấn")
    TRADE_CONNECTION = "trade-connection", _("Kết nối giao thương")


class EventIndexPage(PromoPage):
    """The events section; organizers may add events only here."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = PromoPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count = 1
    template = "cms/event_index_page.html"

    class Meta:
        verbose_name = _("danh sách sự kiện")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.child_of(self)
        context["upcoming"] = events.upcoming()
        context["past"] = events.past()[:24]
        return context


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
