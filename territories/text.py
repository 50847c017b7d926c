"""Accent-free normalisation shared by the import (stored column) and the search (query)."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Abbreviations people type for the saints that name thousands of communes.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize(text):
    """``"Saint-Étienne"``, ``"st etienne"`` and ``"SAINT ÉTIENNE"`` all give ``"saint etienne"``."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    ascii_text = ascii_text.lower().replace("œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", ascii_text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
