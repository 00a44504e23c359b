"""Every CSV/XLSX the product writes is neutralised: a cell never starts a formula."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from defusedcsv import csv as defusedcsv

from solidarnum.common.spreadsheet import neutralise

PRODUCT = Path(__file__).resolve().parents[2] / "solidarnum"

# Values defusedcsv escapes, and values it leaves alone (numbers, ordinary text).
SAMPLES = [
    '=HYPERLINK("http://x","clic")',
    "+33 cmd",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    "%0A=1",
    "|x",
    "-21.1",
    "-1,5",
    "12",
    "Bâtiment B",
    "",
]


@pytest.mark.parametrize("value", SAMPLES)
def test_neutralise_follows_defusedcsv(value):
    """One rule for CSV and XLSX: what defusedcsv writes, cell by cell."""
    ours, theirs = io.StringIO(), io.StringIO()
    defusedcsv.writer(theirs).writerow([value])
    csv.writer(ours).writerow([neutralise(value)])
    assert ours.getvalue() == theirs.getvalue()


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1+1"])
def test_neutralise_also_escapes_a_leading_tab_or_carriage_return(value):
    assert neutralise(value) == "'" + value


def test_neutralise_keeps_numbers_and_none():
    assert neutralise(None) is None
    assert neutralise(-3) == -3
    assert neutralise("-48.85") == "-48.85"


# --- No writer escapes the rule ------------------------------------------------------------------

# Modules allowed to write CSV with the standard library, and why.
COLUMN_AWARE_WRITERS = {
    "network/opendata.py": "neutralises free-text columns itself, keeps the schema's typed "
    "columns (phone numbers start with +, coordinates with -)",
}


def _writers(tree: ast.AST) -> list[str]:
    """Calls that write a spreadsheet without defusedcsv: csv.writer, csv.DictWriter,
    openpyxl's Workbook, tablib's export."""
    found = []
    imported_csv = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "csv"
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [f"csv.{a.name}" for a in node.names if a.name in ("writer", "DictWriter")]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in imported_csv
            and func.attr in ("writer", "DictWriter")
        ):
            found.append(f"csv.{func.attr}")
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("Workbook", "export", "save_virtual_workbook"):
            found.append(name)
    return found


def test_every_spreadsheet_writer_of_the_product_is_neutralised():
    offenders = []
    for path in sorted(PRODUCT.rglob("*.py")):
        relative = path.relative_to(PRODUCT).as_posix()
        if "/migrations/" in relative or relative in COLUMN_AWARE_WRITERS:
            continue
        offenders.extend(
            f"{relative}: {call}" for call in _writers(ast.parse(path.read_text(encoding="utf-8")))
        )
    assert not offenders, (
        "Write CSV with defusedcsv and XLSX cells through common.spreadsheet.neutralise:\n"
        + "\n".join(offenders)
    )


def test_the_walk_finds_writers():
    # Guard against a walk that finds nothing: the open-data module does write CSV.
    tree = ast.parse((PRODUCT / "network" / "opendata.py").read_text(encoding="utf-8"))
    assert _writers(tree)
