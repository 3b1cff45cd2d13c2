"""How Vietnamese text is compared: NFC, and folding to plain letters.

`fold` is the one folding of the house. It mirrors what Lucene's
`asciifolding` does in OpenSearch: NFC first, then lower case, đ→d (NFD does
not decompose đ), and every tone and vowel mark dropped, so "Gốm sứ Bát
Tràng" and "gom su bat trang" compare equal. The database search backend,
the registry's identity keys, decision-list headers, certificate-number keys
and the page editor's slugs all fold with it.

`fold_keeping_length` is the one exception, and has a reason: see there.

Standard library only, so scripts outside Django (the demo snapshot
builder) can use it too.
"""

import unicodedata


def nfc(text) -> str:
    """NFC-normalised, single-spaced text: registry data and shoppers'
    keyboards mix composed and decomposed forms."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced text."""
    text = unicodedata.normalize("NFC", text or "").lower().replace("đ", "d")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return " ".join(stripped.split())


def fold_keeping_length(text: str) -> str:
    """Lowercase ASCII skeleton of NFC `text`, one character per character.

    Unlike `fold`, it neither joins spaces nor drops a character (each
    marked letter becomes its plain letter in place), so the result has
    exactly the length of `text`: where a level prefix ends in the folded
    text ("thanh pho " in "thành phố  Huế"), the address parser cuts the
    original at the same index and keeps the name with its marks. `fold`
    joins runs of spaces and drops lone combining marks, which would shift
    that index.
    """
    out = []
    for char in text.lower():
        if char == "đ":
            out.append("d")
            continue
        out.append(unicodedata.normalize("NFD", char)[0])
    return "".join(out)


# Every Vietnamese letter with a mark, lower and upper case (đ too: NFD does
# not decompose it). For folding where Python's is not at hand: SQL
# (marketplace.registry.certificate_numbers) and the page editor's slugs
# (cms.pages.common).
_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VIETNAMESE_MARKED_LETTERS = _MARKED + _MARKED.upper()


def plain_letter_groups() -> dict[str, str]:
    """Each plain letter and the marked letters that fold to it:
    {"a": "àáả…ÀÁẢ…", "d": "đĐ", …}."""
    groups: dict[str, str] = {}
    for letter in VIETNAMESE_MARKED_LETTERS:
        plain = fold(letter)
        groups[plain] = groups.get(plain, "") + letter
    return groups
