"""QR codes as inline SVG, drawn once per text and cached.

Two rooms draw them: the product page links to its live certificate lookup
(catalogue), and the bank-transfer page shows a VietQR payment request
(checkout). Neither is the other's, so the drawing lives here.
"""

import hashlib

import qrcode
import qrcode.image.svg
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

# A QR code depends on nothing but its URL, so it never goes stale: it may
# live as long as the cache keeps it (30 days bounds the memory it takes).
QR_CACHE_TIMEOUT = 30 * 24 * 3600
QR_CACHE_VERSION = 1  # bump when the drawing options below change


def qr_svg_key(url: str) -> str:
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"qr-svg:{QR_CACHE_VERSION}:{digest}"


def _draw(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code for `url`; safe to embed because the SVG is
    generated here from an escaped URL, never from user markup.

    Drawing one costs about 5 ms, on every product page view; it is drawn
    once per URL and then read from the cache. With the cache down every
    read is a miss and the code is drawn again, as before."""
    key = qr_svg_key(url)
    svg = cache.get(key)
    if not isinstance(svg, str):
        svg = _draw(url)
        cache.set(key, svg, QR_CACHE_TIMEOUT)
    return mark_safe(svg)  # noqa: S308
