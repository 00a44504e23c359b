"""Reading the rows of an uploaded spreadsheet (CSV or XLSX), for every import of ours.

The public API the imports share (device batches in `equipment.imports`, the operator's code
deliveries in `connectivity.deliveries`):
- `csv_rows(content)` / `xlsx_rows(content)`: `(line number, cells)` for each record of the file,
  lazily, from line 1 (the titles); a CSV is UTF-8 with or without BOM, ";" or "," guessed from
  the first line. An unreadable file raises `ServiceError` with a French message.
- `is_blank(cells)`: a row with nothing but empty cells (skipped, its line number kept).
- `plain(text)`: lower case, no accents, single spaces: how headers, codes and names compare.
- `text_of(cell)`: a cell as the text a person typed (123456.0 is "123456").
- `LINE_COLUMN`: the dataset column holding each row's line number, for per-row reports.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from solidarnum.common.errors import ServiceError

# The internal column holding each row's line number in the uploaded file.
LINE_COLUMN = "_ligne"
# Wider spreadsheets are cut here: no import of ours needs 60 columns.
MAX_COLUMNS = 60


def plain(value: object) -> str:
    """Lower case, no accents, words joined by single spaces: how codes and labels are compared."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(re.split(r"[\s_\-'’.]+", text.lower())).strip()


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a spreadsheet cell: 123456.0 is "123456"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def is_blank(row: Iterable[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    if not content.strip():
        raise ServiceError(_("Le fichier est vide."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if content.startswith(b"PK"):
            raise ServiceError(
                _("Ce fichier est un classeur Excel : gardez l'extension .xlsx.")
            ) from None
        raise ServiceError(
            _(
                "Le fichier CSV doit être enregistré en UTF-8 (dans Excel : « Enregistrer "
                "sous » puis « CSV UTF-8 »)."
            )
        ) from None
    if "\x00" in text:
        raise ServiceError(_("Ce fichier n'est pas un fichier CSV lisible."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= max(first_line.count(","), 1) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Records, not physical lines: a spreadsheet shows one row per record.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise ServiceError(
            _("Ce fichier CSV est mal formé près de la ligne %(line)s.") % {"line": reader.line_num}
        ) from error


def xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl

    if not content:
        raise ServiceError(_("Le fichier est vide."))
    if not content.startswith(b"PK"):
        raise ServiceError(_("Ce fichier n'est pas un classeur Excel (.xlsx) lisible."))
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # zip, XML and openpyxl errors alike: the file is unreadable
        raise ServiceError(_("Ce fichier n'est pas un classeur Excel (.xlsx) lisible.")) from error
    try:
        sheet = book.active
        if sheet is None:
            raise ServiceError(_("Le fichier est vide."))
        # Read lazily: the caller stops as soon as the file has too many rows.
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, row in enumerate(rows, start=1):
            yield number, list(row)
    except ServiceError:
        raise
    except Exception as error:
        raise ServiceError(_("Ce fichier n'est pas un classeur Excel (.xlsx) lisible.")) from error
    finally:
        book.close()
