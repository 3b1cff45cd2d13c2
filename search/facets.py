"""Facet links for the results sidebar: plain URLs that toggle one value, so
a filtered listing can be shared and bookmarked."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from oscar.templatetags.currency_filters import currency

from marketplace.core import request_params
from marketplace.registry.models import Producer, ProductType, Sector
from search.backends.base import PRICE_RANGES

FACET_TITLES = {
    "stars": _lazy("Hạng sao"),
    "sector": _lazy("Ngành"),
    "group": _lazy("Nhóm sản phẩm"),
    "province": _lazy("Tỉnh/thành"),
    "producer": _lazy("Chủ thể"),
    "price": _lazy("Khoảng giá"),
    "in_stock": _lazy("Tình trạng"),
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


def facet_labels(facets: dict) -> dict[tuple[str, str], str]:
    """Human labels for every (facet, value), with one query for producer names."""
    buckets = facets.get("producer", [])
    producer_ids = request_params.integers((v for v, _count in buckets), limit=len(buckets) or 1)
    names = dict(Producer.objects.filter(pk__in=producer_ids).values_list("pk", "name"))
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


def facet_groups(query: QueryDict, facets: dict, selected: dict[str, list[str]]) -> list[dict]:
    """[{name, title, items: [{label, count, url, active}]}] for the template."""
    labels = facet_labels(facets)
    groups = []
    for name, buckets in facets.items():
        items = []
        for value, count in buckets:
            params = query.copy()
            params.pop("page", None)
            values = params.getlist(name)
            active = value in selected.get(name, [])
            params.setlist(name, [v for v in values if v != value] if active else [*values, value])
            items.append(
                {
                    "label": labels[name, value],
                    "count": count,
                    "url": "?" + params.urlencode(),
                    "active": active,
                }
            )
        if items:
            groups.append({"name": name, "title": FACET_TITLES.get(name, name), "items": items})
    return groups
