"""Facet links for the results sidebar: plain URLs that toggle one value, so
a filtered listing can be shared and bookmarked."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.templatetags.currency_filters import currency

from marketplace.core import request_params
from marketplace.ocop.models import Producer, ProductType, Sector
from marketplace.pagecache.fragments import fragments
from search.backends.base import PRICE_RANGES

FACET_TITLES = {
    "stars": gettext_lazy("Hạng sao"),
    "sector": gettext_lazy("Ngành"),
    "group": gettext_lazy("Nhóm sản phẩm"),
    "province": gettext_lazy("Tỉnh/thành"),
    "producer": gettext_lazy("Chủ thể"),
    "price": gettext_lazy("Khoảng giá"),
    "in_stock": gettext_lazy("Tình trạng"),
}


def _choice_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _price_label(key: str) -> str:
    low, high = PRICE_RANGES[key]
    if low is None:
        return _("Dưới %(high)s") % {"high": currency(high)}
    if high is None:
        return _("Từ %(low)s") % {"low": currency(low)}
    return f"{currency(low)} – {currency(high)}"


def producer_names(producer_ids: list[int], version: str | None = None) -> dict[int, str]:
    """Producers' names by id, kept per catalogue version (a rename bumps
    it): the producer facet labels its buckets on every listing page."""

    def read(missing: list[int]) -> dict[int, str]:
        return dict(Producer.objects.filter(pk__in=missing).values_list("pk", "name"))

    return fragments("producer-name", producer_ids, read, version=version)


def facet_labels(facets: dict, version: str | None = None) -> dict[tuple[str, str], str]:
    """Human labels for every (facet, value); producer names come from the
    fragment cache, or one query for the ones it lacks."""
    buckets = facets.get("producer", [])
    producer_ids = request_params.integers((v for v, _count in buckets), limit=len(buckets) or 1)
    names = producer_names(producer_ids, version) if producer_ids else {}
    labels = {}
    for name, buckets in facets.items():
        for value, _count in buckets:
            if name == "stars":
                label = _("%(n)s sao") % {"n": value}
            elif name == "sector":
                label = _choice_label(Sector, value)
            elif name == "group":
                label = _choice_label(ProductType, value)
            elif name == "producer":
                label = names.get(request_params.integer(value), value)
            elif name == "price":
                label = _price_label(value) if value in PRICE_RANGES else value
            elif name == "in_stock":
                label = _("Còn hàng")
            else:
                label = value
            labels[name, value] = label
    return labels


def facet_groups(
    query: QueryDict, facets: dict, selected: dict[str, list[str]], version: str | None = None
) -> list[dict]:
    """[{name, title, items: [{label, count, url, active}]}] for the template.

    Each link is the page's query string with one value toggled (and no
    page number). A listing shows about 80 links; the query string's other
    parts are encoded once, not copied and re-encoded for every link, with
    the output of `QueryDict.urlencode` (a toggled facet keeps its place,
    a new one goes last)."""
    labels = facet_labels(facets, version)
    base = query.copy()
    base.pop("page", None)
    encoded = {key: [_pair(key, v) for v in values] for key, values in base.lists()}
    groups = []
    for name, buckets in facets.items():
        values = base.getlist(name)
        items = []
        for value, count in buckets:
            active = value in selected.get(name, [])
            toggled = [v for v in values if v != value] if active else [*values, value]
            pieces = [
                part
                for key, parts in encoded.items()
                for part in ([_pair(name, v) for v in toggled] if key == name else parts)
            ]
            if name not in encoded:
                pieces += [_pair(name, v) for v in toggled]
            items.append(
                {
                    "label": labels[name, value],
                    "count": count,
                    "url": "?" + "&".join(pieces),
                    "active": active,
                }
            )
        if items:
            groups.append({"name": name, "title": FACET_TITLES.get(name, name), "items": items})
    return groups


def _pair(key: str, value: str) -> str:
    """`key=value` as `QueryDict.urlencode` writes it."""
    return urlencode({key.encode(): str(value).encode()})
