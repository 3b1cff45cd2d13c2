"""Vietnamese folding in Python, for the database backend.

It mirrors what Lucene's `asciifolding` does in OpenSearch: NFC first, then
lower case, đ→d (NFD does not decompose đ), and every tone and vowel mark
dropped, so "Gốm sứ Bát Tràng" and "gom su bat trang" compare equal.
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
