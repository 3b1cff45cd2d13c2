"""Facet links for the results sidebar: plain URLs that toggle one value, so
a filtered search can be shared and bookmarked."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from marketplace.registry.models import Sector

FACET_TITLES = {
    "stars": _lazy("Hạng sao"),
    "sector": _lazy("Ngành"),
    "province": _lazy("Tỉnh/thành"),
}


def _label(name: str, value: str) -> str:
    if name == "stars":
        return _("%(n)s sao") % {"n": value}
    if name == "sector":
        try:
            return str(Sector(value).label)
        except ValueError:
            return value
    return value


def facet_groups(query: QueryDict, facets: dict, selected: dict[str, list[str]]) -> list[dict]:
    """[{title, items: [{label, count, url, active}]}] for the template."""
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
                    "label": _label(name, value),
                    "count": count,
                    "url": "?" + params.urlencode(),
                    "active": active,
                }
            )
        if items:
            groups.append({"title": FACET_TITLES.get(name, name), "items": items})
    return groups
