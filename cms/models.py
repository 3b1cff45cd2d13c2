"""Wagtail page types. Page classes end in `Page`; templates live at
`templates/cms/<snake_name>.html` (design.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front door at `/`: a hero, then the shop's newest products.

    Products shown here come from the catalogue, so the listing rule the
    registry issue adds will apply here without changes to this page.
    """

    hero_title = models.CharField(_("tiêu đề chính"), max_length=200, blank=True)
    hero_text = models.TextField(_("lời giới thiệu"), blank=True)
    body = RichTextField(_("nội dung"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import featured_products

        context = super().get_context(request, *args, **kwargs)
        context["featured_products"] = featured_products(limit=8)
        return context
