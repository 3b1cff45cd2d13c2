"""Search-engine and sharing metadata built in Python, not by hand in
templates: schema.org JSON-LD for fairs, events and products, and absolute
URLs for OpenGraph tags.

JSON-LD goes out through `_jsonld_script`, which escapes `<`, `>` and `&` the
way `django.utils.html.json_script` does, so text from editors or the
registry cannot close the `<script>` element.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

OG_IMAGE_SPEC = "fill-1200x630"

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _jsonld_script(data: dict) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # safe: with <, > and & escaped, JSON text cannot end the script
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )


def _absolute(request, url: str) -> str:
    # media may already be absolute (object storage); build_absolute_uri keeps it
    if request is None:
        return url
    return request.build_absolute_uri(url)


def _page_images(page) -> list:
    """The page's sharing image, else its gallery's images."""
    if getattr(page, "og_image", None):
        return [page.og_image]
    gallery = getattr(page, "gallery", None) or []
    return [block.value["image"] for block in gallery if block.value.get("image")]


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """`url` made absolute against the current request, for OpenGraph tags."""
    return _absolute(context.get("request"), url) if url else ""


@register.simple_tag(takes_context=True)
def page_og_image_url(context, page) -> str:
    """Absolute URL of a 1200×630 rendition of the page's sharing image
    (or its first gallery image), or "" if it has none."""
    images = _page_images(page) if page is not None else []
    if not images:
        return ""
    return _absolute(context.get("request"), images[0].get_rendition(OG_IMAGE_SPEC).url)


def _text(value) -> str:
    return " ".join(strip_tags(str(value or "")).split())


@register.simple_tag
def event_jsonld(page, request) -> str:
    """A schema.org `Event` for a fair or event page."""
    place = {"@type": "Place", "name": page.venue_name}
    if page.venue_address:
        place["address"] = {
            "@type": "PostalAddress",
            "streetAddress": page.venue_address,
            "addressCountry": "VN",
        }
    else:
        place["address"] = page.venue_name
    if page.latitude is not None and page.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.seo_title or page.title,
        # local time with its +07:00 offset, as visitors read it
        "startDate": timezone.localtime(page.start_at).isoformat(),
        "endDate": timezone.localtime(page.end_at).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "url": _absolute(request, page.get_url(request)),
    }
    description = _text(page.search_description or page.intro)
    if description:
        data["description"] = description
    if page.organizer:
        data["organizer"] = {"@type": "Organization", "name": page.organizer}
    images = _page_images(page)
    if images:
        data["image"] = [
            _absolute(request, image.get_rendition(OG_IMAGE_SPEC).url) for image in images[:3]
        ]
    return _jsonld_script(data)


@register.simple_tag
def product_jsonld(product, request) -> str:
    """A schema.org `Product` with its `Offer` as the strategy prices it today."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "url": _absolute(request, product.get_absolute_url()),
    }
    description = _text(product.description)
    if description:
        data["description"] = description
    images = [_absolute(request, image.original.url) for image in product.get_all_images()[:3]]
    if images:
        data["image"] = images
    certificate = product.certificate
    producer = certificate.producer if certificate else None
    if producer is not None:
        data["brand"] = {"@type": "Brand", "name": producer.name}
        data["manufacturer"] = {"@type": "Organization", "name": producer.name}
    info = request.strategy.fetch_for_product(product) if request is not None else None
    stockrecord = info.stockrecord if info else None
    sku = (stockrecord.partner_sku if stockrecord else "") or product.upc
    if sku:
        data["sku"] = sku
    if info is not None and info.price.exists:
        price = info.price.incl_tax if info.price.is_tax_known else info.price.excl_tax
        in_stock = info.availability.is_available_to_buy
        data["offers"] = {
            "@type": "Offer",
            # đồng have no minor unit
            "price": int(price),
            "priceCurrency": info.price.currency or "VND",
            "availability": "https://schema.org/InStock"
            if in_stock
            else "https://schema.org/OutOfStock",
            "url": data["url"],
        }
    return _jsonld_script(data)
