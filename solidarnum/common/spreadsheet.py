"""Cells of the CSV and XLSX files the product writes never start a formula (ADR 0018).

CSV files are written with `defusedcsv` (a drop-in for the standard `csv` module). Two cases need
the rule cell by cell, which defusedcsv only applies inside its writers:
- files whose columns are typed by a schema (the open-data export): a phone number in E.164
  starts with "+", a longitude west of Greenwich with "-", and must stay as it is, so only the
  free-text columns are neutralised;
- XLSX files (openpyxl, tablib): openpyxl stores a string starting with "=" as a formula.
`neutralise` is that rule, the same as defusedcsv's (a test holds them together), plus a leading
tab or carriage return as OWASP lists them.
"""

from __future__ import annotations

import re
from numbers import Number
from typing import TypeVar

# defusedcsv's characters, then tab and carriage return.
_DANGEROUS_FIRST = ("=", "+", "-", "@", "|", "%", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?[0-9,.]+$")

T = TypeVar("T")


def neutralise(value: T) -> T | str:
    """The value as a spreadsheet shows it as text: a quote before a dangerous first character
    (and "|" escaped, as defusedcsv does against DDE payloads). Numbers are left alone."""
    if value is None or isinstance(value, Number):
        return value
    text = str(value)
    if text.startswith(_DANGEROUS_FIRST) and not _PLAIN_NUMBER.match(text):
        return "'" + text.replace("|", "\\|")
    return text
