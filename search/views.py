"""Product listing views for Oscar's catalogue and search pages.

Stock Oscar routes these through haystack, whose simple backend lists
nothing (design.md §6). Until the search backends land (issue 4), they read
the database directly, through the one listing rule, `listable()`.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

SORT_OPTIONS = {
    "newest": ("-date_created", _("Mới nhất")),
    "price_asc": ("min_price", _("Giá tăng dần")),
    "price_desc": ("-min_price", _("Giá giảm dần")),
    "title": ("title", _("Tên A–Z")),
}


class ProductListView(ListView):
    """Shared machinery: shoppable products, a sort order and pagination."""

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    template_name = "oscar/catalogue/browse.html"
    invalid_page_url = "catalogue:index"

    def base_queryset(self):
        return Product.objects.listable()

    def get_sort(self) -> str:
        sort = self.request.GET.get("sort", "newest")
        return sort if sort in SORT_OPTIONS else "newest"

    def get_queryset(self):
        queryset = self.base_queryset()
        sort = self.get_sort()
        if sort.startswith("price"):
            # A correlated subquery, not Min(): an aggregate would GROUP BY
            # every listable product before the page is cut.
            cheapest = StockRecord.objects.filter(
                product=OuterRef("pk"), price__isnull=False
            ).order_by("price")
            queryset = queryset.annotate(min_price=Subquery(cheapest.values("price")[:1]))
        return (
            queryset.base_queryset()
            .select_related("certificate")
            .prefetch_related("stockrecords__partner")
            .order_by(SORT_OPTIONS[sort][0], "-pk")
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("Trang bạn chọn không tồn tại; đã quay về trang đầu."))
            return redirect(self.get_invalid_page_url())

    def get_invalid_page_url(self):
        from django.urls import reverse

        return reverse(self.invalid_page_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = self.get_sort()
        context["sort_options"] = [(key, label) for key, (_order, label) in SORT_OPTIONS.items()]
        context["summary"] = _("Tất cả sản phẩm")
        return context


class CatalogueView(ProductListView):
    """`/shop/`: every shoppable product."""


class ProductCategoryView(ProductListView):
    """Products in a category and its subcategories."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_invalid_page_url(self):
        return self.category.get_absolute_url()

    def base_queryset(self):
        categories = self.category.get_descendants_and_self()
        return super().base_queryset().filter(categories__in=categories).distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context


class FacetedSearchView(ProductListView):
    """`/shop/search/?q=`: products whose title or description has every word."""

    template_name = "oscar/search/results.html"

    def get_query(self) -> str:
        return " ".join(self.request.GET.get("q", "").split())[:200]

    def base_queryset(self):
        queryset = super().base_queryset()
        for word in self.get_query().split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.get_query()
        return context
