"""A spelling-tolerant search key for place names, in plain Python (no Django).

People type "Sheki", "Shaki", "Seki" or "Şəki" for the same town, and SQLite's LOWER() does not
fold non-ASCII letters, so stations keep a stored `search_text` made by `search_key()` and queries
go through the same function. The key lowercases, maps Azerbaijani letters and the usual English
transliterations to one skeleton (ş/sh -> s, ç/c/ch/j -> j, x/kh -> h, q/ğ/gh -> g, ə/e/a -> a,
ı -> i, ö -> o, ü -> u) and drops other accents and punctuation. Cyrillic text is lowercased and
kept, so Russian names match Russian queries.
"""

import re
import unicodedata

# English digraphs first, so "sh" becomes "s" before the single letters are mapped.
_DIGRAPHS = (("kh", "h"), ("sh", "s"), ("ch", "j"), ("zh", "j"), ("gh", "g"))
_LETTERS = str.maketrans(
    {
        "ə": "a",
        "ä": "a",
        "e": "a",
        "ı": "i",
        "ç": "j",
        "c": "j",
        "ş": "s",
        "ğ": "g",
        "q": "g",
        "x": "h",
        "ö": "o",
        "ü": "u",
        "ё": "е",
    }
)
_NOT_WORD = re.compile(r"[\W_]+")


def search_key(text: str) -> str:
    """The folded form of `text`: words separated by single spaces."""
    folded = (text or "").casefold()
    for digraph, replacement in _DIGRAPHS:
        folded = folded.replace(digraph, replacement)
    folded = folded.translate(_LETTERS)
    # Whatever accents remain (the dot of a capital İ, é, ...) go.
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char)
    )
    return _NOT_WORD.sub(" ", folded).strip()


def search_terms(query: str) -> list[str]:
    """The folded words of a query; every one must occur in a matching record."""
    return [term for term in search_key(query).split(" ") if term]


def distance_km(latitude1: float, longitude1: float, latitude2: float, longitude2: float) -> float:
    """Great-circle distance (haversine), for "stations near me"."""
    from math import asin, cos, radians, sin, sqrt

    dlat = radians(latitude2 - latitude1)
    dlon = radians(longitude2 - longitude1)
    a = sin(dlat / 2) ** 2 + cos(radians(latitude1)) * cos(radians(latitude2)) * sin(dlon / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(a))
