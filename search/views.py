"""Product listing views for Oscar's catalogue and search pages.

Stock Oscar routes these through haystack, whose simple backend lists
nothing (design.md §6). Until the search backends land (issue 4), they read
the database directly, through the one listing rule, `listable()`.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from catalogue.managers import today_in_vietnam
from search.backends import search_backend
from search.backends.base import FACETS, SearchRequest
from search.facets import facet_groups

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


class _BackendResults:
    """A lazy, sliceable view of a backend search, for Django's paginator."""

    def __init__(self, backend, request: SearchRequest) -> None:
        self.backend = backend
        self.request = request
        self.facets: dict = {}
        self._result = None
        self._window: tuple[int, int] | None = None

    def _run(self, offset: int, limit: int):
        """Search once per window: the paginator's count and its page slice
        for the expected page are answered by the same backend query."""
        if self._window != (offset, limit):
            self.request.offset, self.request.limit = offset, limit
            self._result = self.backend.search(self.request)
            self._window = (offset, limit)
            self.facets = self._result.facets
        return self._result

    def __len__(self) -> int:
        if self._result is None:
            self._run(self.request.offset, self.request.limit)
        return self._result.total

    def __getitem__(self, item: slice):
        result = self._run(item.start or 0, (item.stop or 0) - (item.start or 0))
        products = (
            Product.objects.filter(pk__in=result.ids)
            .base_queryset()
            .select_related("certificate")
            .prefetch_related("stockrecords__partner")
        )
        by_id = {p.pk: p for p in products}
        return [by_id[pk] for pk in result.ids if pk in by_id]


class FacetedSearchView(ProductListView):
    """`/shop/search/?q=`: the search backend (OpenSearch with a database
    fallback, or the database alone), with facets as plain, shareable links."""

    template_name = "oscar/search/results.html"

    def get_query(self) -> str:
        return " ".join(self.request.GET.get("q", "").split())[:200]

    def get_filters(self) -> dict[str, list[str]]:
        return {
            name: [v for v in self.request.GET.getlist(name) if v][:10]
            for name in FACETS
            if self.request.GET.getlist(name)
        }

    def get_queryset(self):
        try:
            page = max(int(self.request.GET.get("page", 1)), 1)
        except ValueError:
            page = 1
        self.results = _BackendResults(
            search_backend(),
            SearchRequest(
                on=today_in_vietnam(),
                text=self.get_query(),
                filters=self.get_filters(),
                offset=(page - 1) * self.paginate_by,
                limit=self.paginate_by,
            ),
        )
        return self.results

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.get_query()
        context["is_search"] = True
        context["facet_groups"] = facet_groups(
            self.request.GET, self.results.facets, self.get_filters()
        )
        return context
