"""Three views that answer a search address with less and less left out of
the search page (search.views.FacetedSearchView), through the same
middleware, gunicorn and settings:

- `/floor/empty/`: nothing; the cost of any answer at all.
- `/floor/search/`: the page's search, sent by the backend the page uses
  (circuit breaker, the typo rule), answering only the total.
- `/floor/cards/`: that, plus the product cards (from the fragment cache)
  and the facet links, joined without a template.

The search page is these plus its template and storing the page.
"""

from django.http import HttpResponse
from django.urls import path

from catalogue.cards import product_cards, request_version
from marketplace.ocop.dates import today_in_vietnam
from marketplace.urls import urlpatterns as site_urlpatterns
from search.backends import search_backend
from search.backends.base import SearchRequest
from search.facets import facet_groups
from search.views import clean_filters, clean_query


def _search(request):
    on = today_in_vietnam()
    filters = clean_filters(request.GET)
    result = search_backend().search(
        SearchRequest(on=on, text=clean_query(request.GET.get("q")), filters=filters)
    )
    return on, filters, result


def empty(request):
    return HttpResponse("")


def search_only(request):
    _on, _filters, result = _search(request)
    return HttpResponse(str(result.total))


def cards(request):
    on, filters, result = _search(request)
    shown = product_cards(result.ids, request=request, on=on)
    groups = facet_groups(request.GET, result.facets, filters, request_version(request, on))
    return HttpResponse("".join(card.html for card in shown) + str(len(groups)))


urlpatterns = [
    path("floor/empty/", empty),
    path("floor/search/", search_only),
    path("floor/cards/", cards),
    *site_urlpatterns,
]
