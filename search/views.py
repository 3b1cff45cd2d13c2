"""Product listing views for Oscar's catalogue, category and search pages.

Stock Oscar routes these through haystack, whose simple backend lists
nothing (design.md §6). Here every listing asks the search backend
(OpenSearch with a database fallback, or the database alone), which applies
the one listing rule with today's date. Facets are plain links, so a
filtered page can be shared and bookmarked.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from catalogue.managers import today_in_vietnam
from cms.search import pages_search
from search.backends import search_backend
from search.backends.base import FACETS, PRICE_RANGES, SORTS, SearchRequest
from search.facets import facet_groups

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

SORT_LABELS = {
    "relevance": _("Phù hợp nhất"),
    "popular": _("Phổ biến"),
    "newest": _("Mới nhất"),
    "price_asc": _("Giá tăng dần"),
    "price_desc": _("Giá giảm dần"),
    "stars": _("Nhiều sao nhất"),
}
assert set(SORT_LABELS) == set(SORTS)

# OpenSearch answers at most 10,000 hits deep (`max_result_window`); deeper
# pages are not offered rather than tripping the fallback.
MAX_RESULT_WINDOW = 10_000
MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def clean_filters(params) -> dict[str, list[str]]:
    """The facet selections in a query string, with malformed values dropped."""
    valid = {
        "stars": str.isdigit,
        "producer": str.isdigit,
        "price": PRICE_RANGES.__contains__,
        "in_stock": "1".__eq__,
    }
    filters = {}
    for name in FACETS:
        values = [v for v in params.getlist(name) if v and valid.get(name, bool)(v)][:10]
        if values:
            filters[name] = values
    return filters


class _BackendResults:
    """A lazy, sliceable view of a backend search, for Django's paginator."""

    def __init__(self, backend, request: SearchRequest) -> None:
        self.backend = backend
        self.request = request
        self.facets: dict = {}
        self._result = None
        self._window: tuple[int, int] | None = None

    def _run(self, offset: int, limit: int) -> list[int]:
        """The ids in [offset, offset + limit), searching once per page: the
        paginator counts with the full page window and then asks for a
        shorter slice on the last page, which the stored window answers.
        Windows never reach past OpenSearch's `max_result_window`, whose
        refusal would trip the fallback breaker for everyone."""
        limit = max(0, min(limit, MAX_RESULT_WINDOW - offset))
        if self._window is not None:
            start, stop = self._window
            if start == offset and offset + limit <= stop:
                return self._result.ids[:limit]
        self.request.offset, self.request.limit = offset, limit
        self._result = self.backend.search(self.request)
        self._window = (offset, offset + limit)
        self.facets = self._result.facets
        return self._result.ids

    @property
    def total(self) -> int:
        if self._result is None:
            self._run(self.request.offset, self.request.limit)
        return self._result.total

    def __len__(self) -> int:
        return min(self.total, MAX_RESULT_WINDOW)

    def __getitem__(self, item: slice):
        ids = self._run(item.start or 0, (item.stop or 0) - (item.start or 0))
        return listable_in_order(ids, self.request.on)


def listable_in_order(ids: list[int], on) -> list:
    """The products behind a backend's ids, in its order, through listable()
    again: a stale index can never show a product the rule refuses, and rows
    carry `listed_on`, so the price and basket button on each card need no
    further query."""
    products = Product.objects.listable(on).filter(pk__in=ids).for_cards()
    by_id = {p.pk: p for p in products}
    return [by_id[pk] for pk in ids if pk in by_id]


class ProductListView(ListView):
    """Shared machinery: a backend search, facets, a sort and pagination."""

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    template_name = "oscar/catalogue/browse.html"
    summary = _("Tất cả sản phẩm")

    def get_query(self) -> str:
        return ""

    def get_category_ids(self) -> list[int]:
        return []

    def default_sort(self) -> str:
        return "relevance" if self.get_query() else "popular"

    def sort_keys(self) -> list[str]:
        return [key for key in SORTS if key != "relevance" or self.get_query()]

    def get_sort(self) -> str:
        sort = self.request.GET.get("sort", "")
        return sort if sort in self.sort_keys() else self.default_sort()

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
                filters=clean_filters(self.request.GET),
                category_ids=self.get_category_ids(),
                sort=self.get_sort(),
                offset=(page - 1) * self.paginate_by,
                limit=self.paginate_by,
            ),
        )
        return self.results

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("Trang bạn chọn không tồn tại; đã quay về trang đầu."))
            params = request.GET.copy()
            params.pop("page", None)
            return redirect(request.path + ("?" + params.urlencode() if params else ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = clean_filters(self.request.GET)
        context.update(
            query=self.get_query(),
            sort=self.get_sort(),
            sort_options=[(key, SORT_LABELS[key]) for key in self.sort_keys()],
            summary=self.summary,
            results_total=self.results.total,
            facet_groups=facet_groups(self.request.GET, self.results.facets, filters),
            filtered=bool(filters),
        )
        return context


class CatalogueView(ProductListView):
    """`/shop/`: every listable product."""


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

    def get_category_ids(self) -> list[int]:
        return list(self.category.get_descendants_and_self().values_list("pk", flat=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context


class FacetedSearchView(ProductListView):
    """`/shop/search/?q=`: products first, then matching pages."""

    template_name = "oscar/search/results.html"

    def get_query(self) -> str:
        return clean_query(self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_search"] = True
        first_page = context["page_obj"] is None or context["page_obj"].number == 1
        # One box: products first, then the fairs, events and village pages
        # that match, on the first page of an unfiltered search.
        context["pages"] = (
            pages_search(self.get_query()) if first_page and not context["filtered"] else []
        )
        return context


class SuggestView(View):
    """`/shop/search/suggest/?q=`: up to 8 listable products for the header
    box, as JSON (title, URL, stars, price)."""

    limit = 8

    def get(self, request):
        query = clean_query(request.GET.get("q", ""))
        products = []
        if len(query) >= 2:
            today = today_in_vietnam()
            ids = search_backend().suggest(on=today, text=query, limit=self.limit)
            products = [
                _suggestion(product, request.strategy) for product in listable_in_order(ids, today)
            ]
        response = JsonResponse(
            {
                "query": query,
                "products": products,
                "search_url": reverse("search:search") + "?" + request.GET.urlencode(),
            }
        )
        response["Cache-Control"] = "max-age=60"
        return response


def _suggestion(product, strategy) -> dict:
    """Title, link, stars and the price the strategy would charge."""
    from oscar.templatetags.currency_filters import currency

    price = strategy.fetch_for_product(product).price
    return {
        "id": product.pk,
        "title": product.title,
        "url": product.get_absolute_url(),
        "stars": product.certificate.stars,
        "price": currency(price.incl_tax) if price.exists else "",
    }
