"""The site's front door at `/`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms import selectors
from cms.pages.common import PromoPage
from cms.pages.events import EventPage
from cms.pages.fairs import FairPage
from cms.pages.villages import CraftVillagePage


class HomePage(PromoPage):
    """A hero, upcoming fairs, featured products, headline figures
    (products, producers, villages) and the latest stories.

    Products and figures come through `Product.objects.listable()`, so the
    page never shows what the shop may not sell today.
    """

    hero_title = models.CharField(_("tiêu đề chính"), max_length=200, blank=True)
    hero_text = models.TextField(_("lời giới thiệu"), blank=True)
    body = RichTextField(_("nội dung"), blank=True)

    content_panels = PromoPage.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.FairIndexPage", "cms.EventIndexPage", "cms.CraftVillageIndexPage"]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_products"] = selectors.featured_products(limit=8)
        context["upcoming_fairs"] = self.upcoming_fairs(limit=3)
        context["figures"] = self.headline_figures()
        context["latest_stories"] = self.latest_stories(limit=3)
        return context

    def upcoming_fairs(self, *, limit: int):
        """The soonest fairs that have not ended, with their sharing images."""
        return (
            FairPage.objects.upcoming()
            .select_related("og_image")
            .prefetch_related("og_image__renditions")[:limit]
        )

    def headline_figures(self) -> dict:
        """Products on sale today, the producers selling them, and published
        villages, counted once per catalogue version (`cms.selectors`)."""
        return selectors.headline_figures(villages=CraftVillagePage.objects.live())

    def latest_stories(self, *, limit: int) -> list:
        """The most recently published fair, event and village pages."""
        return list(
            Page.objects.live()
            .type(FairPage, EventPage, CraftVillagePage)
            .exclude(first_published_at=None)
            .order_by("-first_published_at")
            .specific()[:limit]
        )
