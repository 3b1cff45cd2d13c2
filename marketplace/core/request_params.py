"""Request parameters: the one place query-string and form values become
Python values.

Every view that reads `request.GET` or `request.POST` by hand goes through
these parsers, so the traps below are handled once:

- `str.isdigit()` and `int()` accept far more than `[0-9]`: "²" is a digit
  to `isdigit()` (and `int("²")` then raises), "٣" is 3 to `int()`. Numbers
  here are ASCII digits only, of a capped length, within a stated range, so
  "99999999999999999999" never reaches PostgreSQL's `integer` or
  OpenSearch's `long` (which answers 400).
- PostgreSQL `text` cannot hold NUL, and other control characters are never
  typed by a person. Text containing them is refused (the edge middleware
  already answers 400 to NUL; this is the same rule for values that arrive
  another way).
- Vietnamese arrives composed (NFC) or decomposed (NFD, pasted from PDFs);
  text is NFC-normalised so both spell the same word.

Parsers take the raw value (`str | None`, as `QueryDict.get` gives it) and
return the parsed value or `None` when it is missing or malformed. A filter
drops a `None`; a view that cannot work without the value wraps the parser
in `required()`, which raises `BadParameter`, a `BadRequest` that Django
answers with our 400 page: never a 500.
"""

import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import TypeVar

from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme

T = TypeVar("T")

# PostgreSQL `integer` (primary keys, stars, quantities): larger values are
# refused rather than sent to a column or an index that cannot hold them.
INT_MAX = 2**31 - 1
# Longest digit string accepted, leading zeros included: enough for any
# `integer`, far short of Python's 4,300-digit `int()` limit.
MAX_DIGITS = 12
# No listing has more pages than this (OpenSearch answers at most 10,000 hits).
MAX_PAGE = 10_000
# Whitespace a person can type into a form; every other control character
# (C0, DEL, C1: Unicode category Cc) and lone surrogates (Cs) are refused.
TYPED_WHITESPACE = frozenset("\t\n\r")

_DIGITS = re.compile(r"[0-9]+")  # ASCII only: `\d` would take "٣" too
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")


class BadParameter(BadRequest):
    """A required request parameter is missing or malformed (answered 400)."""


def required(value: T | None, name: str) -> T:
    """`value`, or `BadParameter` naming the parameter when it is None."""
    if value is None:
        raise BadParameter(f"missing or malformed parameter {name!r}")
    return value


def has_control_characters(raw: str, *, allowed: Collection[str] = TYPED_WHITESPACE) -> bool:
    """True when `raw` holds NUL or another control character (or a lone
    surrogate) outside `allowed`."""
    return any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in raw)


def integer(raw: str | None, *, low: int = 0, high: int = INT_MAX) -> int | None:
    """An integer written in ASCII digits (no sign, no spaces, at most
    `MAX_DIGITS` of them) within [low, high], else None."""
    if not isinstance(raw, str) or len(raw) > MAX_DIGITS or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def page_number(raw: str | None) -> int:
    """A 1-based page number for `Paginator.get_page` (which clamps it to
    the last page); a missing or malformed one is the first page."""
    return integer(raw, low=1, high=MAX_PAGE) or 1


def choice(raw: str | None, choices: Collection[str]) -> str | None:
    """`raw` if it is one of `choices` (exactly), else None."""
    return raw if isinstance(raw, str) and raw in choices else None


def flag(raw: str | None) -> bool:
    """A checkbox or `?name=1` switch: only "1" and "on" mean yes."""
    return raw in ("1", "on")


def text(
    raw: str | None, *, max_length: int, multiline: bool = False, clip: bool = False
) -> str | None:
    """Text a person typed, NFC-normalised and stripped, or None.

    Refused (None) when it holds NUL or another control character. A single
    line has its runs of whitespace folded to one space; `multiline` keeps
    line breaks and tabs. Text longer than `max_length` is refused, or
    with `clip` cut to it (right for a search box, wrong for a filter value
    that must match exactly). The raw value is capped before normalising,
    so a 10 MB value costs no more than a short one.
    """
    if not isinstance(raw, str):
        return None
    if len(raw) > max_length * 4 and not clip:
        return None
    raw = raw[: max_length * 4]
    if has_control_characters(raw):
        return None
    value = unicodedata.normalize("NFC", raw)
    value = value.strip() if multiline else " ".join(value.split())
    if len(value) > max_length:
        if not clip:
            return None
        value = value[:max_length].rstrip()
    return value


def token(raw: str | None, *, max_length: int = 255) -> str | None:
    """An identifier someone else issued (a Stripe id, a hash): ASCII
    letters, digits, `_` and `-`, at most `max_length` long, else None."""
    if not isinstance(raw, str) or len(raw) > max_length or not _TOKEN.fullmatch(raw):
        return None
    return raw


def integers(
    raws: Iterable[str], *, low: int = 1, high: int = INT_MAX, limit: int = 50
) -> list[int]:
    """The well-formed integers among `raws` (e.g. `getlist("id")`), first
    occurrence order, duplicates dropped, at most `limit` of them."""
    found: list[int] = []
    for raw in raws:
        value = integer(raw, low=low, high=high)
        if value is not None and value not in found:
            found.append(value)
            if len(found) == limit:
                break
    return found


def choices(raws: Iterable[str], allowed: Collection[str], *, limit: int = 50) -> list[str]:
    """The values among `raws` that are in `allowed`, deduplicated, capped."""
    found: list[str] = []
    for raw in raws:
        if choice(raw, allowed) is not None and raw not in found:
            found.append(raw)
            if len(found) == limit:
                break
    return found


def local_url(raw: str | None, *, request, max_length: int = 2000) -> str | None:
    """A `next=` target that stays on this site (same host, our scheme),
    else None: a form must not become a redirector to anywhere."""
    value = text(raw, max_length=max_length)
    if not value or not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value
