"""One typo per word, for the database search backend.

A shopper's word of `MIN_TYPO_LENGTH` letters or more also matches a whole
folded word one typo away: one letter wrong, missing, extra, or two
neighbours swapped (Damerau's one edit; "trag", "trnag" and "tranq" all
find "trang", "trxgg" does not). Shorter words, and words with digits or
signs, match exactly: a typo in "su" or "500ml" is another word.

The test is one regular expression per word, listing every spelling one
edit away (about 4 per letter). Both databases run it with no code of ours:
PostgreSQL with its own `~`; SQLite through the REGEXP function Django
registers on every connection, Python's `re`, so the embedded default's
fallback is in Python already. pg_trgm's GIN index on the search text
(catalogue migration 0036) answers the words found as typed (`LIKE`), not
these expressions: a spelling such as "t\\w?ag" keeps no three letters in a
row, so the index would return every row. A typo search therefore reads
the rows once (about 100 ms at 20,000 products, measured) and the backend
keeps the ids it found.

Why not pg_trgm's similarity: a score threshold is no edit distance. At
the default 0.6 (`word_similarity`), one typo in "grang" misses "trang"
(0.5) and "rtag" scores 0.2 against "trag", while two in "nghieppp" reach
"nghiep" (0.67): "one typo" would depend on the word's length and where
the typo is. Edit-distance libraries (rapidfuzz in Python, fuzzystrmatch's
`levenshtein` in PostgreSQL) would need every word of every product brought
to them, in Python or through a second extension; the expression needs
neither, and is the same on both databases.
"""

MIN_TYPO_LENGTH = 4

# A word's edge: start or end of the text, or a character no word has.
# Same meaning in PostgreSQL's regular expressions and Python's `re`.
_EDGE_BEFORE, _EDGE_AFTER = r"(?:^|\W)", r"(?:\W|$)"
_LETTER = r"\w"


def tolerates_typo(word: str) -> bool:
    """Whether a folded query word may match with one typo."""
    return len(word) >= MIN_TYPO_LENGTH and word.isalpha()


def one_typo_spellings(word: str) -> list[str]:
    """Regex pieces that together match exactly the words at most one edit
    from `word` (substitution, deletion, insertion, or a swap of two
    neighbours); `word` must be all letters, so nothing needs escaping."""
    spellings = set()
    for i in range(len(word)):
        spellings.add(word[:i] + _LETTER + "?" + word[i + 1 :])  # replaced or missing
    for i in range(len(word) + 1):
        spellings.add(word[:i] + _LETTER + word[i:])  # one letter too many
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            spellings.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # swapped
    return sorted(spellings)


def one_typo_pattern(word: str) -> str:
    """A regular expression that finds, in folded text, a whole word at most
    one typo from `word` (see `one_typo_spellings`)."""
    return f"{_EDGE_BEFORE}(?:{'|'.join(one_typo_spellings(word))}){_EDGE_AFTER}"
