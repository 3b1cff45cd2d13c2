"""Craft villages (làng nghề): their craft, place, history and recognition,
their producers and what those producers sell today."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField

from cms.blocks import GalleryImageBlock, body_blocks
from cms.pages.common import PromoPage
from cms.selectors import block_producers, block_products
from marketplace.core import request_params


class CraftVillageIndexPage(PromoPage):
    """All craft villages, filtered by craft and province (`?craft=&province=`)."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = PromoPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CraftVillagePage"]
    max_count = 1
    template = "cms/craft_village_index_page.html"

    class Meta:
        verbose_name = _("danh sách làng nghề")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        villages = (
            CraftVillagePage.objects.child_of(self)
            .live()
            .select_related("og_image")
            .prefetch_related("og_image__renditions")
            .order_by("title")
        )
        crafts = sorted(set(villages.values_list("craft", flat=True)) - {""})
        provinces = sorted(set(villages.values_list("province", flat=True)) - {""})
        craft = request_params.choice(request.GET.get("craft"), crafts)
        province = request_params.choice(request.GET.get("province"), provinces)
        if craft:
            villages = villages.filter(craft=craft)
        if province:
            villages = villages.filter(province=province)
        context.update(
            villages=villages,
            crafts=crafts,
            provinces=provinces,
            chosen_craft=craft or "",
            chosen_province=province or "",
        )
        return context


class CraftVillagePage(PromoPage):
    """One craft village and the OCOP producers who work there."""

    craft = models.CharField(_("nghề"), max_length=100, db_index=True)
    province = models.CharField(_("tỉnh/thành phố"), max_length=100, db_index=True)
    ward = models.CharField(_("xã/phường"), max_length=100, blank=True)
    intro = models.TextField(_("giới thiệu ngắn"), blank=True)
    history = RichTextField(_("lịch sử"), blank=True)
    recognition = models.CharField(
        _("công nhận"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Làng nghề truyền thống, được công nhận năm 2010."),
    )
    producers = ParentalManyToManyField(
        "ocop.Producer",
        verbose_name=_("chủ thể trong làng"),
        blank=True,
        related_name="villages",
    )
    body = StreamField(body_blocks(), verbose_name=_("nội dung"), blank=True)
    gallery = StreamField(
        [("image", GalleryImageBlock())], verbose_name=_("thư viện ảnh"), blank=True
    )

    content_panels = PromoPage.content_panels + [
        FieldRowPanel([FieldPanel("craft"), FieldPanel("province"), FieldPanel("ward")]),
        FieldPanel("intro"),
        FieldPanel("history"),
        FieldPanel("recognition"),
        FieldPanel("producers"),
        FieldPanel("body"),
        FieldPanel("gallery"),
    ]
    parent_page_types = ["cms.CraftVillageIndexPage"]
    subpage_types = []
    template = "cms/craft_village_page.html"

    class Meta:
        verbose_name = _("làng nghề")

    products_shown = 24

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        producer_ids = self.producer_ids()
        context["village_producers"] = block_producers(producer_ids)
        context["village_products"] = block_products(
            chosen_ids=[], producer_ids=producer_ids, limit=self.products_shown
        )
        return context

    def producer_ids(self) -> list[int]:
        """The producers this village lists: its page's own choice, so a
        preview shows the draft's producers. Product blocks that name the
        village ask it too."""
        return sorted(pk for pk in self.producers.values_list("pk", flat=True) if pk)
