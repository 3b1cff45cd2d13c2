"""StreamField blocks for promotional pages.

The product and producer blocks store choices or a query, never a list of
products frozen at publishing time: they resolve through
`Product.objects.listable()` each time the page renders, so a product whose
certificate expires drops off a published page without anyone editing it.

Blocks read through `cms.selectors` and never import a page: pages are built
from blocks, so the arrow runs from pages to blocks only. A village chosen
in a block is asked for its own producers (`CraftVillagePage.producer_ids()`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms.choosers import ProducerChooserBlock, ProductChooserBlock
from cms.selectors import block_producers, block_products
from marketplace.ocop.models import Sector

STAR_CHOICES = [("", _("Mọi hạng sao")), ("3", "3★+"), ("4", "4★+"), ("5", "5★")]


class ProductsBlock(blocks.StructBlock):
    """Chosen products, or a query (group, stars, province, village, limit)."""

    heading = blocks.CharBlock(label=_("Tiêu đề"), required=False)
    products = blocks.ListBlock(
        ProductChooserBlock(), label=_("Sản phẩm chọn sẵn"), required=False, default=[]
    )
    sector = blocks.ChoiceBlock(
        choices=[("", _("Mọi ngành")), *Sector.choices], required=False, label=_("Ngành")
    )
    min_stars = blocks.ChoiceBlock(choices=STAR_CHOICES, required=False, label=_("Số sao"))
    province = blocks.CharBlock(required=False, label=_("Tỉnh/thành phố"))
    village = blocks.PageChooserBlock(
        page_type="cms.CraftVillagePage", required=False, label=_("Làng nghề")
    )
    limit = blocks.IntegerBlock(default=8, min_value=1, max_value=48, label=_("Số sản phẩm tối đa"))

    class Meta:
        icon = "tag"
        label = _("Sản phẩm OCOP")
        template = "cms/blocks/products_block.html"
        help_text = _(
            "Chọn sản phẩm cụ thể, hoặc để trống và lọc theo ngành, số sao, tỉnh, làng nghề. "
            "Sản phẩm hết hạn chứng nhận tự ẩn khỏi trang."
        )

    QUERY_FIELDS = ("sector", "min_stars", "province", "village")

    def clean(self, value):
        """Hand-picked products or a query, never both: with products chosen
        the filters were silently ignored, and an editor who set "5 sao"
        believed the block showed only 5-star products."""
        value = super().clean(value)
        chosen = [product for product in value["products"] if product]
        filters = [name for name in self.QUERY_FIELDS if value.get(name)]
        if chosen and filters:
            raise blocks.StructBlockValidationError(
                block_errors={
                    name: ValidationError(
                        _(
                            "Đã chọn sản phẩm cụ thể: bỏ trống bộ lọc này, hoặc bỏ các "
                            "sản phẩm đã chọn để khối tự lọc."
                        )
                    )
                    for name in filters
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        village = value["village"]
        context["resolved_products"] = block_products(
            chosen_ids=[product.pk for product in value["products"] if product],
            sector=value["sector"],
            min_stars=int(value["min_stars"]) if value["min_stars"] else None,
            province=value["province"],
            producer_ids=village.specific.producer_ids() if village else None,
            limit=value["limit"] or 8,
        )
        return context


class ProducersBlock(blocks.StructBlock):
    """Chosen producers, each with how many products it sells today."""

    heading = blocks.CharBlock(label=_("Tiêu đề"), required=False)
    producers = blocks.ListBlock(ProducerChooserBlock(), label=_("Chủ thể"))

    class Meta:
        icon = "group"
        label = _("Chủ thể OCOP")
        template = "cms/blocks/producers_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["resolved_producers"] = block_producers(
            [producer.pk for producer in value["producers"] if producer]
        )
        return context


class ScheduleItemBlock(blocks.StructBlock):
    starts_at = blocks.DateTimeBlock(label=_("Thời gian"))
    title = blocks.CharBlock(label=_("Hoạt động"))
    place = blocks.CharBlock(label=_("Địa điểm"), required=False)

    class Meta:
        icon = "time"


class GalleryImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False)


def body_blocks():
    """The blocks every promotional page's body offers."""
    return [
        ("paragraph", blocks.RichTextBlock(label=_("Đoạn văn"))),
        ("products", ProductsBlock()),
        ("producers", ProducersBlock()),
    ]
