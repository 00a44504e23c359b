"""The connectivity lists stack on a phone like the other lists (ADR 0024): only the operator
statement, a breakdown by offer and status, stays a grid that scrolls in its named box."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "solidarnum/connectivity/templates"
GRIDS = {"connectivity/statements/_table.html"}


def test_only_the_statement_breakdown_is_a_grid():
    grids = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if 'class="grid-table' in path.read_text() and "_pdf" not in path.name
    }
    assert grids == GRIDS
