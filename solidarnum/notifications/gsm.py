"""SMS text: the GSM 03.38 alphabet, accent folding, and segment counting.

An SMS written only with the GSM 03.38 alphabet holds 160 characters (153 per part when it is
split); one character outside it turns the whole message into UCS-2: 70 characters (67 per part),
billed at about three times the price. French keeps é, è, à, ù but not ê, â, ç, œ: those are
folded to their base letter, which any French reader still understands. Languages written in
another script (Arabic, Ukrainian, Dari) cannot be folded and are sent as UCS-2.
"""

import math
import unicodedata
from dataclasses import dataclass

# The basic character set (3GPP TS 23.038, 6.2.1), in code-point order.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these takes two characters (an escape, then the character).
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

# Typography that has a plain GSM equivalent.
REPLACEMENTS = {
    "\u2019": "'",
    "\u2018": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",
    "·": ".",
}

# Languages whose texts are folded to GSM; the others are sent as they are.
FOLDED_LANGUAGES = frozenset({"fr", "en"})

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def _fold_char(char: str) -> str:
    if char in GSM_BASIC or char in GSM_EXTENSION:
        return char
    if char in REPLACEMENTS:
        return REPLACEMENTS[char]
    # ê → e + combining circumflex: keep the base letter when it is GSM.
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and base in GSM_BASIC:
        return base
    return char


def fold(text: str) -> str:
    """The text with what has a GSM equivalent replaced by it; the rest left as it is."""
    return "".join(_fold_char(char) for char in text)


def prepare_sms(text: str, language: str) -> str:
    """The text to send: folded to GSM for the languages that allow it."""
    text = " ".join(text.split())  # one line: no stray newlines or double spaces
    if language.split("-")[0] in FOLDED_LANGUAGES:
        return fold(text)
    return text


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM" or "UCS-2"
    characters: int
    segments: int


def sms_length(text: str) -> SmsLength:
    if is_gsm(text):
        units = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, part, encoding = GSM_SINGLE, GSM_PART, "GSM"
    else:
        # UCS-2 counts UTF-16 code units: a character beyond the BMP takes two.
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    segments = 0 if units == 0 else 1 if units <= single else math.ceil(units / part)
    return SmsLength(encoding=encoding, characters=units, segments=segments)
