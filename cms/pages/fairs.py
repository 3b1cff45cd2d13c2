"""Trade fairs (hội chợ): an index with upcoming and past fairs, and one page
per fair with its exhibitors, featured products, schedule and gallery."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from cms.blocks import ScheduleItemBlock
from cms.choosers import ProducerChooserBlock
from cms.pages.common import DatedIndexPage, DatedPage, PromoPage
from cms.selectors import block_producers


class FairIndexPage(DatedIndexPage):
    """The fairs section; organizers may add fairs only here."""

    subpage_types = ["cms.FairPage"]
    template = "cms/fair_index_page.html"

    class Meta:
        verbose_name = _("danh sách hội chợ")


class FairPage(DatedPage):
    """One trade fair: dates, venue (address and coordinates), organizer,
    exhibiting producers, featured products, schedule, gallery, contact."""

    exhibitors = StreamField(
        [("producer", ProducerChooserBlock(label=_("Chủ thể")))],
        verbose_name=_("chủ thể tham gia"),
        blank=True,
    )
    schedule = StreamField(
        [("item", ScheduleItemBlock())], verbose_name=_("lịch trình"), blank=True
    )

    content_panels = (
        PromoPage.content_panels
        + DatedPage.dated_panels
        + [FieldPanel("body"), FieldPanel("exhibitors"), FieldPanel("schedule")]
        + DatedPage.contact_panels
    )
    parent_page_types = ["cms.FairIndexPage"]
    subpage_types = []
    template = "cms/fair_page.html"

    class Meta:
        verbose_name = _("hội chợ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["exhibiting_producers"] = self.exhibiting_producers()
        return context

    def exhibiting_producers(self) -> list:
        """The active exhibitors, in the editor's order, each with how many
        products it sells today."""
        return block_producers([block.value.pk for block in self.exhibitors if block.value])


# assigned here because FairPage is defined after its index
FairIndexPage.child_model = FairPage
