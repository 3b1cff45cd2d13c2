"""Wagtail admin choosers for the catalogue's products and the registry's
producers, so editors pick them in a modal instead of typing ids. Built on
Wagtail's ChooserViewSet; `wagtail_hooks.py` registers them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from marketplace.ocop.models import Producer
from marketplace.ocop.text import fold
from marketplace.producers.services import producers_named

Product = get_model("catalogue", "Product")


class _FoldedSearchForm(BaseFilterForm):
    """Accent-blind search box for the chooser: every word must appear in
    the folded `search_field` ("gom bat trang" finds "Gốm Bát Tràng")."""

    search_field = ""
    q = forms.CharField(
        label=_("Tìm"),
        widget=forms.TextInput(attrs={"placeholder": _("Tìm (có dấu hoặc không)")}),
        required=False,
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "")
        for word in fold(query).split():
            objects = objects.filter(**{f"{self.search_field}__icontains": word})
        if query:
            self.is_searching, self.search_query = True, query
        return objects


class ProductSearchForm(_FoldedSearchForm):
    search_field = "search_text"


class ProducerSearchForm(_FoldedSearchForm):
    def filter(self, objects):
        query = self.cleaned_data.get("q", "")
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        return objects.filter(pk__in=producers_named(query).values("pk"))


class _ProductColumns:
    """The chooser's rows show the producer and stars beside the title:
    many OCOP products share a name ("Chè búp Thái Nguyên" from dozens of
    cooperatives), and the title alone could not tell them apart."""

    @property
    def columns(self):
        return [
            self.title_column,
            Column("producer", label=_("Chủ thể"), accessor=_producer_of),
            Column("stars", label=_("Sao OCOP"), accessor=_stars_of),
        ]


def _producer_of(product) -> str:
    certificate = product.certificate
    producer = certificate.producer if certificate else None
    if producer is None:
        return ""
    return f"{producer.name}, {producer.province}" if producer.province else producer.name


def _stars_of(product) -> str:
    return f"{product.certificate.stars}★" if product.certificate else ""


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Chọn sản phẩm")
    choose_another_text = _("Chọn sản phẩm khác")
    edit_item_text = _("Sửa sản phẩm")
    url_filter_parameters = []
    per_page = 20

    choose_view_class = type(
        "ProductChooseView",
        (_ProductColumns, chooser_views.ChooseView),
        {"filter_form_class": ProductSearchForm},
    )
    choose_results_view_class = type(
        "ProductChooseResultsView",
        (_ProductColumns, chooser_views.ChooseResultsView),
        {"filter_form_class": ProductSearchForm},
    )

    def get_object_list(self):
        # offer what may be shown today; the block re-checks when it renders
        return (
            Product.objects.listable()
            .select_related("certificate__producer")
            .order_by("title", "pk")
        )


class ProducerChooserViewSet(ChooserViewSet):
    model = "ocop.Producer"
    icon = "group"
    choose_one_text = _("Chọn chủ thể")
    choose_another_text = _("Chọn chủ thể khác")
    per_page = 20
    choose_view_class = type(
        "ProducerChooseView", (chooser_views.ChooseView,), {"filter_form_class": ProducerSearchForm}
    )
    choose_results_view_class = type(
        "ProducerChooseResultsView",
        (chooser_views.ChooseResultsView,),
        {"filter_form_class": ProducerSearchForm},
    )

    def get_object_list(self):
        return Producer.objects.filter(is_active=True).order_by("name")


product_chooser_viewset = ProductChooserViewSet("product_chooser")
producer_chooser_viewset = ProducerChooserViewSet("producer_chooser")

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="cms.choosers"
)
ProducerChooserBlock = producer_chooser_viewset.get_block_class(
    name="ProducerChooserBlock", module_path="cms.choosers"
)
