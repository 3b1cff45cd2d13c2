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
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from catalogue.cards import product_cards, request_version
from catalogue.listing import listable_in_order
from marketplace.core import request_params
from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import ProductType, Sector
from marketplace.pagecache.fragments import fragments
from marketplace.pagecache.generation import catalogue_version
from search.backends import search_backend
from search.backends.base import FACETS, PRICE_RANGES, SORTS, SearchRequest
from search.facets import facet_groups
from search.pages import page_results

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
MAX_FILTER_VALUES = 10


def clean_query(raw: str | None) -> str:
    """The search box's text: one NFC line of at most MAX_QUERY_LENGTH
    characters, or "" when it holds control characters."""
    return request_params.text(raw, max_length=MAX_QUERY_LENGTH, clip=True) or ""


def _as_text(value) -> str | None:
    return None if value is None else str(value)


# Each facet's parser: the canonical string a backend may receive, or None.
# Numbers are bounded here so no value OpenSearch's `long` or PostgreSQL's
# `integer` cannot hold ever reaches a query (an OpenSearch 400 is our bug).
FILTER_PARSERS = {
    "stars": lambda raw: _as_text(request_params.integer(raw, low=1, high=5)),
    "producer": lambda raw: _as_text(request_params.integer(raw, low=1)),
    "sector": lambda raw: request_params.choice(raw, Sector.values),
    "group": lambda raw: request_params.choice(raw, ProductType.values),
    "province": lambda raw: request_params.text(raw, max_length=100),
    "price": lambda raw: request_params.choice(raw, PRICE_RANGES),
    "in_stock": lambda raw: request_params.choice(raw, ("1",)),
}
assert set(FILTER_PARSERS) == set(FACETS)


def clean_filters(params) -> dict[str, list[str]]:
    """The facet selections in a query string, with malformed values dropped."""
    filters = {}
    for name, parse in FILTER_PARSERS.items():
        values = []
        for raw in params.getlist(name):
            value = parse(raw)
            if value and value not in values:
                values.append(value)
        if values:
            filters[name] = values[:MAX_FILTER_VALUES]
    return filters


class _BackendResults:
    """A lazy, sliceable view of a backend search, for Django's paginator.

    A slice is the page's product cards (`catalogue.cards.ProductCard`), not
    product rows: the backend applies the listing rule with the request's
    date, and a card cached under that date's catalogue version proves the
    product passed the rule under the current data (catalogue/cards.py). So
    a page whose cards are all cached reads no product at all, and only the
    hits without a card are read, through `listable()`, as before."""

    def __init__(self, backend, request: SearchRequest, http_request) -> None:
        self.backend = backend
        self.request = request
        self.http_request = http_request
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
    def facets_counted(self) -> bool:
        """False when the search's fallback left facet counts out."""
        if self._result is None:
            self._run(self.request.offset, self.request.limit)
        return self._result.facets_counted

    @property
    def total(self) -> int:
        if self._result is None:
            self._run(self.request.offset, self.request.limit)
        return self._result.total

    def __len__(self) -> int:
        return min(self.total, MAX_RESULT_WINDOW)

    def __getitem__(self, item: slice):
        ids = self._run(item.start or 0, (item.stop or 0) - (item.start or 0))
        return product_cards(ids, request=self.http_request, on=self.request.on)


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
        sort = request_params.choice(self.request.GET.get("sort"), self.sort_keys())
        return sort or self.default_sort()

    def get_page_number(self) -> int:
        """The page asked for: a missing or malformed one is the first; one
        starting past OpenSearch's window does not exist (a 404, which `get`
        turns into a redirect to the first page)."""
        page = request_params.integer(self.request.GET.get(self.page_kwarg), low=1) or 1
        if (page - 1) * self.paginate_by >= MAX_RESULT_WINDOW:
            raise Http404
        return page

    def paginate_queryset(self, queryset, page_size):
        """Django's, but on the page `get_queryset` searched for, not on
        another reading of `?page=` (whose `int()` takes "٣" for 3)."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        try:
            page = paginator.page(self.page_number)
        except InvalidPage as error:
            raise Http404(str(error)) from error
        return paginator, page, page.object_list, page.has_other_pages()

    def get_queryset(self):
        self.page_number = page = self.get_page_number()
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
            self.request,
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
            facet_groups=facet_groups(
                self.request.GET,
                self.results.facets,
                filters,
                request_version(self.request, self.results.request.on),
            ),
            filtered=bool(filters),
            facets_unavailable=not self.results.facets_counted,
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
        # Categories are named after the OCOP sectors and groups, whose
        # labels are in the catalogue; a name an operator made up shows as is.
        context["summary"] = gettext(self.category.name)
        return context


class FacetedSearchView(ProductListView):
    """`/shop/search/?q=`: products first, then matching pages."""

    template_name = "oscar/search/results.html"

    def get_query(self) -> str:
        return clean_query(self.request.GET.get("q"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_search"] = True
        first_page = context["page_obj"] is None or context["page_obj"].number == 1
        # One box: products first, then the fairs, events and village pages
        # that match, on the first page of an unfiltered search (kept per
        # query and catalogue version: search.pages.page_results).
        context["pages"] = (
            page_results(self.get_query(), request=self.request)
            if first_page and not context["filtered"]
            else []
        )
        return context


class SuggestView(View):
    """`/shop/search/suggest/?q=`: up to 8 listable products for the header
    box, as JSON (title, URL, stars, price)."""

    limit = 8

    def get(self, request):
        query = clean_query(request.GET.get("q"))
        products = []
        if len(query) >= 2:
            today = today_in_vietnam()
            ids = search_backend().suggest(on=today, text=query, limit=self.limit)
            products = suggestions(ids, request.strategy, on=today)
        response = JsonResponse(
            {
                "query": query,
                "products": products,
                "search_url": reverse("search:search") + "?" + request.GET.urlencode(),
            }
        )
        response["Cache-Control"] = "max-age=60"
        return response


def suggestions(ids: list[int], strategy, *, on) -> list[dict]:
    """The suggestions for the backend's ids, in its order, each kept as a
    fragment per product, language and catalogue version like a card, and
    exact for the same reason (catalogue/cards.py): one is stored only for
    a product read through `listable(on)` under the version of `on`, so an
    id a stale index returns but the rule now refuses has no fragment, is
    read again, and is left out."""

    def render_missing(missing: list[int]) -> dict[int, dict]:
        return {
            product.pk: _suggestion(product, strategy) for product in listable_in_order(missing, on)
        }

    found = fragments("suggestion", ids, render_missing, version=catalogue_version(today=on))
    return [found[pk] for pk in ids if pk in found]


def _suggestion(product, strategy) -> dict:
    """Title, link, stars and the price the strategy would charge (the same
    for every visitor: VND, tax included)."""
    from oscar.templatetags.currency_filters import currency

    price = strategy.fetch_for_product(product).price
    return {
        "id": product.pk,
        "title": product.title,
        "url": product.get_absolute_url(),
        "stars": product.certificate.stars,
        "price": currency(price.incl_tax) if price.exists else "",
    }
