"""Wagtail admin choosers for the catalogue's products and the registry's
producers, so editors pick them in a modal instead of typing ids. Built on
Wagtail's ChooserViewSet; `wagtail_hooks.py` registers them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from search.folding import fold


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
        from marketplace.producers.services import producers_named

        query = self.cleaned_data.get("q", "")
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        return objects.filter(pk__in=producers_named(query).values("pk"))


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Chọn sản phẩm")
    choose_another_text = _("Chọn sản phẩm khác")
    edit_item_text = _("Sửa sản phẩm")
    url_filter_parameters = []
    per_page = 20

    choose_view_class = type(
        "ProductChooseView", (chooser_views.ChooseView,), {"filter_form_class": ProductSearchForm}
    )
    choose_results_view_class = type(
        "ProductChooseResultsView",
        (chooser_views.ChooseResultsView,),
        {"filter_form_class": ProductSearchForm},
    )

    def get_object_list(self):
        # offer what may be shown today; the block re-checks when it renders
        from oscar.core.loading import get_model

        return get_model("catalogue", "Product").objects.listable().order_by("title")


class ProducerChooserViewSet(ChooserViewSet):
    model = "registry.Producer"
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
        from marketplace.registry.models import Producer

        return Producer.objects.filter(is_active=True).order_by("name")


product_chooser_viewset = ProductChooserViewSet("product_chooser")
producer_chooser_viewset = ProducerChooserViewSet("producer_chooser")

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="cms.choosers"
)
ProducerChooserBlock = producer_chooser_viewset.get_block_class(
    name="ProducerChooserBlock", module_path="cms.choosers"
)
