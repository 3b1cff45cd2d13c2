"""Product photos the stand-in registry serves, drawn with Pillow from the sector.

The demo and the tests need registry records that carry photos, without
downloading or committing any: each photo is drawn on request from the
record's `type` (its sector), its id and a view number, so the same URL
always answers the same bytes. A photo is a studio shot, not a label: a
backdrop in the sector's tone, a table edge, a soft shadow and the kind of
thing the sector sells (a rice sack, a bottle, a tea tin with leaves, folded
silk, a glazed vase, a village in the hills), varied per product.

Standard library and Pillow only, and Pillow is imported when a photo is
drawn, so the stand-in still starts where Pillow is missing.
"""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable

SIZE = 480
SCALE = 2  # drawn at twice the size, then reduced: Pillow's shapes have no anti-aliasing
FORMATS = {
    "jpg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "webp": ("WEBP", "image/webp"),
}

# Backdrop (top, bottom) and the object's main colours, per the API's `type` code.
_BACKDROPS = {
    "food": ((247, 240, 226), (226, 211, 186)),
    "drink": ((232, 240, 245), (200, 214, 224)),
    "herbs": ((236, 243, 230), (205, 222, 196)),
    "cloth": ((246, 236, 238), (222, 201, 207)),
    "keepsake": ((242, 237, 230), (216, 205, 190)),
    "travel": ((200, 225, 240), (246, 236, 214)),
}
_OBJECT_COLOURS = {
    "food": [(196, 160, 110), (178, 140, 96), (204, 176, 128)],
    "drink": [(92, 128, 78), (140, 84, 40), (60, 96, 132)],
    "herbs": [(58, 108, 78), (120, 70, 40), (40, 84, 96)],
    "cloth": [(170, 40, 90), (40, 70, 140), (200, 130, 40)],
    "keepsake": [(40, 80, 150), (120, 60, 40), (30, 110, 110)],
    "travel": [(120, 80, 50), (96, 64, 40), (140, 96, 60)],
}


def _jitter(colour: tuple[int, int, int], rng: random.Random, amount: int = 14):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def _shade(colour: tuple[int, int, int], factor: float):
    return tuple(max(0, min(255, int(c * factor))) for c in colour)


def _backdrop(kind: str, size: int):
    return _backdrop_of(kind, size).copy()


@functools.lru_cache(maxsize=16)
def _backdrop_of(kind: str, size: int):
    """The sector's backdrop, made once (a third of a photo's drawing time)."""
    from PIL import Image, ImageOps

    top, bottom = _BACKDROPS.get(kind, _BACKDROPS["keepsake"])
    column = Image.linear_gradient("L").crop((0, 0, 1, 256)).resize((1, size))
    return ImageOps.colorize(column, top, bottom).resize((size, size), Image.Resampling.NEAREST)


def _table(draw, size: int, kind: str, rng: random.Random) -> int:
    """A table top across the lower part; returns its edge's height."""
    edge = int(size * rng.uniform(0.66, 0.72))
    _top, bottom = _BACKDROPS.get(kind, _BACKDROPS["keepsake"])
    surface = _shade(bottom, 0.93)
    draw.rectangle([0, edge, size, size], fill=surface)
    draw.line([(0, edge), (size, edge)], fill=_shade(surface, 0.9), width=max(2, size // 300))
    return edge


def _shadow(image, box: tuple[float, float, float, float], strength: int = 90) -> None:
    """A soft contact shadow, blurred small and scaled up to its own box (cheap)."""
    from PIL import Image, ImageDraw, ImageFilter

    pad = int((box[2] - box[0]) * 0.15)
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = min(image.width, int(box[2]) + pad), min(image.height, int(box[3]) + pad)
    if x1 <= x0 or y1 <= y0:
        return
    small = 8
    mask = Image.new("L", (max(1, (x1 - x0) // small), max(1, (y1 - y0) // small)), 0)
    ImageDraw.Draw(mask).ellipse(
        [
            (box[0] - x0) / small,
            (box[1] - y0) / small,
            (box[2] - x0) / small,
            (box[3] - y0) / small,
        ],
        fill=strength,
    )
    mask = mask.filter(ImageFilter.GaussianBlur(3)).resize((x1 - x0, y1 - y0))
    image.paste((40, 32, 26), (x0, y0, x1, y1), mask)


def _sack(image, cx, base, w, h, colour, rng):
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    body = [cx - w // 2, base - h, cx + w // 2, base]
    draw.rounded_rectangle(body, radius=w // 6, fill=colour)
    neck = [cx - w // 5, base - h - h // 6, cx + w // 5, base - h + h // 10]
    draw.rounded_rectangle(neck, radius=w // 12, fill=_shade(colour, 0.92))
    draw.rectangle(
        [cx - w // 5, base - h - h // 40, cx + w // 5, base - h + h // 40], fill=(120, 70, 40)
    )
    band = _jitter((70, 120, 60), rng)
    draw.rectangle([body[0], base - h * 0.55, body[2], base - h * 0.3], fill=band)
    draw.ellipse([cx - w // 8, base - h * 0.5, cx + w // 8, base - h * 0.35], fill=(250, 246, 236))


def _bottle(image, cx, base, w, h, colour, rng):
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    body_top = base - h * 0.62
    draw.rounded_rectangle([cx - w // 2, body_top, cx + w // 2, base], radius=w // 5, fill=colour)
    draw.polygon(
        [
            (cx - w // 2 + w // 10, body_top + w // 8),
            (cx - w // 6, base - h * 0.82),
            (cx + w // 6, base - h * 0.82),
            (cx + w // 2 - w // 10, body_top + w // 8),
        ],
        fill=colour,
    )
    draw.rectangle([cx - w // 6, base - h, cx + w // 6, base - h * 0.8], fill=colour)
    draw.rectangle(
        [cx - w // 5, base - h - h * 0.06, cx + w // 5, base - h + h * 0.02], fill=(170, 40, 40)
    )
    draw.rectangle(
        [cx - w // 2, base - h * 0.45, cx + w // 2, base - h * 0.2], fill=(246, 238, 220)
    )
    draw.rectangle(
        [cx - w // 2, base - h * 0.45, cx + w // 2, base - h * 0.42],
        fill=_jitter((180, 140, 60), rng),
    )
    draw.rectangle(
        [cx - w // 2 + w // 8, body_top + w // 6, cx - w // 2 + w // 5, base - h * 0.5],
        fill=_shade(colour, 1.35),
    )


def _tin(image, cx, base, w, h, colour, rng):
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([cx - w // 2, base - h, cx + w // 2, base], radius=w // 14, fill=colour)
    draw.rounded_rectangle(
        [cx - w // 2 - w // 20, base - h - h // 10, cx + w // 2 + w // 20, base - h + h // 12],
        radius=w // 16,
        fill=_shade(colour, 0.8),
    )
    draw.ellipse(
        [cx - w // 4, base - h * 0.66, cx + w // 4, base - h * 0.66 + w // 2], fill=(238, 226, 190)
    )
    draw.ellipse(
        [cx - w // 7, base - h * 0.66 + w // 10, cx + w // 7, base - h * 0.66 + w // 2 - w // 10],
        fill=_jitter((70, 120, 60), rng),
    )


def _leaf(draw, x, y, length, angle_right: bool, colour):
    w = length // 3
    box = (
        [x, y - w // 2, x + length, y + w // 2]
        if angle_right
        else [x - length, y - w // 2, x, y + w // 2]
    )
    draw.ellipse(box, fill=colour)
    draw.line(
        [(box[0] + length // 8, y), (box[2] - length // 8, y)],
        fill=_shade(colour, 0.7),
        width=max(2, length // 40),
    )


def _cloth(image, cx, base, w, h, colour, rng):
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    layers = 4
    layer_h = h // layers
    for i in range(layers):
        shade = _jitter(colour if i % 2 == 0 else _shade(colour, 0.8), rng, 10)
        top = base - (i + 1) * layer_h
        inset = i * w // 30
        draw.rounded_rectangle(
            [cx - w // 2 + inset, top, cx + w // 2 - inset, top + layer_h],
            radius=layer_h // 3,
            fill=shade,
        )
        for stripe in range(1, 6):
            x = cx - w // 2 + inset + stripe * (w - 2 * inset) // 6
            draw.line(
                [(x, top + layer_h // 5), (x, top + layer_h - layer_h // 5)],
                fill=_shade(shade, 1.25),
                width=max(2, w // 120),
            )


def _vase(image, cx, base, w, h, colour, rng):
    """A glazed vase; its painted bands are clipped to its outline."""
    from PIL import Image, ImageDraw

    steps = 32
    points = []
    for i in range(steps + 1):
        t = i / steps
        # a bulb low down, a narrow neck, a flared lip
        bulb = (4 * t * (1 - t)) ** 1.4 * (1 - 0.5 * t)
        lip = 0.12 * max(0.0, t - 0.85) / 0.15
        points.append((cx + w * (0.16 + 0.34 * bulb + lip), base - t * h))
    outline = points + [(2 * cx - x, y) for x, y in reversed(points)]
    # drawn in the vase's own box, not the whole picture (3x faster)
    left, top = int(cx - w), int(base - h)
    outline = [(x - left, y - top) for x, y in outline]
    mask = Image.new("L", (2 * w, h + 1), 0)
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    layer = Image.new("RGB", mask.size, (244, 242, 236))
    paint = ImageDraw.Draw(layer)
    cx, base = cx - left, base - top
    for band_t, thickness in ((0.2, 0.05), (0.5, 0.025), (0.82, 0.02)):
        y = base - band_t * h
        paint.rectangle([cx - w, y, cx + w, y + thickness * h], fill=colour)
    for petal in range(5):
        x = cx - w * 0.3 + petal * w * 0.15
        paint.ellipse([x - w * 0.05, base - h * 0.4, x + w * 0.05, base - h * 0.3], fill=colour)
    paint.rectangle(
        [cx - w * 0.3, base - h * 0.75, cx - w * 0.24, base - h * 0.3], fill=(255, 255, 252)
    )
    image.paste(layer, (left, top), mask)


def _village(image, draw, size, rng):
    """Tourism: hills, a river and a stilt house instead of a table shot."""
    hill = _jitter((96, 140, 90), rng)
    horizon = int(size * rng.uniform(0.5, 0.58))
    for i, shade in enumerate((0.75, 0.9, 1.0)):
        peak = size * rng.uniform(0.2, 0.8)
        height = size * (0.16 + 0.06 * i)
        colour = _shade(hill, shade)
        draw.polygon(
            [
                (-size * 0.2, horizon + i * size // 20),
                (peak, horizon - height + i * size // 12),
                (size * 1.2, horizon + i * size // 20),
                (size * 1.2, size),
                (-size * 0.2, size),
            ],
            fill=colour,
        )
    draw.rectangle([0, int(size * 0.8), size, size], fill=_jitter((120, 170, 190), rng))
    sun = size * rng.uniform(0.15, 0.85)
    draw.ellipse(
        [sun - size // 14, size * 0.12, sun + size // 14, size * 0.12 + size // 7],
        fill=(250, 226, 150),
    )
    cx, base = size * rng.uniform(0.35, 0.65), int(size * 0.74)
    w = size * 0.3
    wood = _jitter((120, 80, 50), rng)
    for post in range(5):
        x = cx - w / 2 + post * w / 4
        draw.rectangle(
            [x - size // 200, base - size * 0.08, x + size // 200, base], fill=_shade(wood, 0.8)
        )
    draw.rectangle([cx - w / 2, base - size * 0.2, cx + w / 2, base - size * 0.08], fill=wood)
    draw.polygon(
        [
            (cx - w * 0.62, base - size * 0.2),
            (cx, base - size * 0.36),
            (cx + w * 0.62, base - size * 0.2),
        ],
        fill=(150, 110, 60),
    )
    draw.rectangle(
        [cx - w * 0.08, base - size * 0.17, cx + w * 0.08, base - size * 0.08],
        fill=_shade(wood, 0.6),
    )


_DRAWERS: dict[str, Callable] = {
    "food": _sack,
    "drink": _bottle,
    "herbs": _tin,
    "cloth": _cloth,
    "keepsake": _vase,
}


@functools.lru_cache(maxsize=1024)  # a test session sets the demo up many times
def render_photo(kind: str, key: int, view: int = 0, *, fmt: str = "jpg") -> bytes:
    """The photo for one product (`kind` is the API's `type`, `key` its id)
    and view: 0 the main shot, 1 another angle with a second piece, 2 a
    close-up. The same arguments give the same bytes."""
    from PIL import ImageDraw

    if fmt not in FORMATS:
        raise ValueError(f"unknown photo format {fmt!r}")
    rng = random.Random(f"{kind}:{key}:{view}")  # noqa: S311 (demo pictures, not secrets)
    size = SIZE * SCALE
    image = _backdrop(kind, size)
    draw = ImageDraw.Draw(image)
    colour = _jitter(rng.choice(_OBJECT_COLOURS.get(kind, _OBJECT_COLOURS["keepsake"])), rng)
    if kind == "travel" or kind not in _DRAWERS:
        _village(image, draw, size, rng)
    else:
        edge = _table(draw, size, kind, rng)
        zoom = 1.45 if view == 2 else 1.0
        w, h = int(size * 0.36 * zoom), int(size * 0.5 * zoom)
        cx = size // 2 + (int(size * rng.uniform(-0.12, -0.04)) if view == 1 else 0)
        base = edge + int(size * 0.08 * zoom)
        pieces = [(cx, base, w, h, colour)]
        if view == 1:
            small = _jitter(rng.choice(_OBJECT_COLOURS[kind]), rng)
            pieces.append(
                (cx + int(w * 0.95), base + size // 40, int(w * 0.6), int(h * 0.6), small)
            )
        for px, pbase, pw, ph, pcolour in pieces:
            _shadow(image, (px - pw * 0.62, pbase - pw * 0.1, px + pw * 0.62, pbase + pw * 0.12))
            _DRAWERS[kind](image, px, pbase, pw, ph, pcolour, rng)
        draw = ImageDraw.Draw(image)
        if kind == "herbs":
            leaf = _jitter((80, 140, 70), rng)
            for i in range(3):
                x = cx + w // 2 + size // 30 + i * size // 18
                _leaf(
                    draw,
                    x,
                    base - size // 40 - i * size // 60,
                    size // 6,
                    True,
                    _shade(leaf, 1 - i * 0.08),
                )
    image = image.reduce(SCALE)
    out = io.BytesIO()
    pil_format, _content_type = FORMATS[fmt]
    options = {"quality": 84} if pil_format in ("JPEG", "WEBP") else {}
    image.save(out, format=pil_format, **options)
    return out.getvalue()
