import unicodedata


def normalize_name(value: str) -> str:
    """Lowercase, accents removed, single spaces: the form names are searched in."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_only.lower().replace("-", " ").replace("'", " ").split())
