"""Lists stay cheap and usable on a phone (ADR 0024).

Rows are rendered by one partial per list, a plain loop (no django-tables2 cell per cell);
every cell says its column's name for the phone layout; every box that can scroll sideways
can be reached with the keyboard and is named for screen readers.
"""

import importlib
import re
from pathlib import Path

import django_tables2 as tables
import pytest
from django.template.loader import get_template
from django.test import RequestFactory

from solidarnum.common.lists import ListTable

ROOT = Path(__file__).resolve().parents[2] / "solidarnum"
TEMPLATES = sorted(ROOT.rglob("templates/**/*.html"))
# The public directory is rebuilt with its own filters and pagination; it keeps its own markup.
OWN_MARKUP = {"network/templates/network/public/directory.html"}
# Printed documents (PDF) are not screens: they neither scroll nor stack.
PRINTED = re.compile(r"(_pdf|_print|voucher|certificate|tax_receipt|report_pdf)")

PER_CELL = ("render_table", "row.items", "paginated_rows", "for column, cell in")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _screen_templates() -> list[Path]:
    return [
        p
        for p in TEMPLATES
        if _relative(p) not in OWN_MARKUP and not PRINTED.search(p.name) and "/email/" not in str(p)
    ]


def test_the_walk_sees_our_templates():
    names = {_relative(p) for p in TEMPLATES}
    assert "templates/components/table.html" in names
    assert "referrals/templates/referrals/inbox/_rows.html" in names


def test_no_template_renders_rows_cell_by_cell():
    offenders = [
        f"{_relative(p)}: {marker}"
        for p in TEMPLATES
        for marker in PER_CELL
        if marker in p.read_text()
    ]
    assert not offenders, "Per-cell rendering is back (use a row partial):\n" + "\n".join(offenders)


def _table_classes() -> list[type[tables.Table]]:
    for module in ROOT.rglob("tables.py"):
        dotted = "solidarnum." + ".".join(module.relative_to(ROOT).with_suffix("").parts)
        importlib.import_module(dotted)
    found, todo = [], list(tables.Table.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("solidarnum.") and cls is not ListTable:
            found.append(cls)
    return found


def test_every_table_of_ours_is_a_list_table_with_a_row_partial():
    classes = _table_classes()
    assert len(classes) >= 14, classes  # the walk finds them
    problems = []
    for cls in classes:
        name = f"{cls.__module__}.{cls.__name__}"
        if not issubclass(cls, ListTable):
            problems.append(f"{name} is not a ListTable")
            continue
        source = get_template(cls.row_template).template.source
        problems.extend(
            f"{name}: no cell labelled {{{{ labels.{column} }}}}"
            for column in cls.base_columns
            if f"{{{{ labels.{column} }}}}" not in source
        )
    assert not problems, "\n".join(problems)


def _cells_without_label(html: str) -> list[str]:
    return [
        cell
        for cell in re.findall(r"<td\b[^>]*>", html)
        if "data-label=" not in cell and "colspan=" not in cell
    ]


def test_every_cell_of_a_list_says_its_column():
    row_partials = {
        str(Path(get_template(cls.row_template).origin.name).resolve())
        for cls in _table_classes()
        if issubclass(cls, ListTable)
    }
    problems = []
    for path in _screen_templates():
        text = path.read_text()
        if str(path.resolve()) in row_partials:
            blocks = [text]
        else:  # each list table of the page (a page may also hold a grid)
            blocks = re.findall(r'class="list-table.*?</table>', text, re.S)
        problems.extend(
            f"{_relative(path)}: {cell}" for cell in _cells_without_label("".join(blocks))
        )
    assert not problems, "Cells without data-label:\n" + "\n".join(problems)


def test_every_scrollable_box_is_focusable_and_named():
    problems = []
    for path in _screen_templates():
        for box in re.findall(r'<div class="table-wrap[^"]*"[^>]*>', path.read_text()):
            named = "aria-label=" in box or "aria-labelledby=" in box
            if 'role="region"' not in box or 'tabindex="0"' not in box or not named:
                problems.append(f"{_relative(path)}: {box}")
    assert not problems, "Scrollable boxes to make reachable:\n" + "\n".join(problems)


def test_every_table_either_stacks_on_a_phone_or_is_a_grid_that_scrolls():
    """A list (one thing per row) stacks: `list-table`. A grid (rows and columns are both
    categories: stock by kind and grade, a price grid, a report's breakdowns) keeps its shape in
    a named box that scrolls: `grid-table`."""
    problems = []
    for path in _screen_templates():
        problems.extend(
            f"{_relative(path)}: {table}"
            for table in re.findall(r"<table\b[^>]*>", path.read_text())
            if 'class="list-table' not in table and 'class="grid-table' not in table
        )
    assert not problems, "Tables with no phone layout:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_headers_sort_from_the_query_string_and_say_which_column_is_sorted():
    from solidarnum.network.models import ReceptionPoint
    from solidarnum.network.tables import ReceptionPointTable

    request = RequestFactory().get("/", {"sort": "-commune", "q": "x"})
    table = ReceptionPointTable(ReceptionPoint.objects.all(), request=request)
    tables.RequestConfig(request).configure(table)
    headers = {h.name: h for h in table.headers}
    assert headers["commune"].aria_sort == "descending"
    assert headers["name"].aria_sort is None
    assert headers["commune"].url == "?sort=commune&q=x"
    assert headers["name"].url == "?sort=name&q=x"
    # A column that is not declared is not a sort: the query string is a whitelist.
    request = RequestFactory().get("/", {"sort": "password"})
    table = ReceptionPointTable(ReceptionPoint.objects.all(), request=request)
    tables.RequestConfig(request).configure(table)
    assert all(h.aria_sort is None for h in table.headers)


def test_templates_are_compiled_once_per_process():
    from django.template import engines
    from django.template.loaders.cached import Loader

    engine = engines["django"].engine
    assert isinstance(engine.template_loaders[0], Loader)
    assert len(engine.template_loaders) == 1
    first = get_template("components/table.html").template
    assert get_template("components/table.html").template is first
