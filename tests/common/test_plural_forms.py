"""Counted words agree with their number: "1 appareil", "6 appareils", never "6 appareil(s)".

Plural forms come from `ngettext` / `{% blocktranslate count %}`, so other languages get theirs.
"""

import io
import re
import tokenize
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils.translation import ngettext

ROOT = Path(__file__).resolve().parents[2] / "solidarnum"
# A word glued to "(s)" or "(es)": "appareil(s)", "expiré(s)".
PARENTHESISED_PLURAL = re.compile(r"\w\(e?s\)")
# Text tokens of Python sources (f-strings are split into parts from Python 3.12).
TEXT_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def _texts(path: Path):
    """(line number, text) of what may be read by a person: template lines, Python strings."""
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        yield from enumerate(source.splitlines(), start=1)
        return
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in TEXT_TOKENS:
            yield token.start[0], token.string


def _sources():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
            yield path


def test_no_parenthesised_plural_is_left_in_templates_or_code():
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}: {text.strip()}"
        for path in _sources()
        for number, text in _texts(path)
        if PARENTHESISED_PLURAL.search(text.replace("%(s)s", ""))
    ]
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize(("count", "expected"), [(1, "1 appareil enregistré"), (6, "6 appareils")])
def test_plural_forms_follow_the_count(count, expected):
    text = ngettext("%(count)s appareil enregistré", "%(count)s appareils enregistrés", count) % {
        "count": count
    }
    assert text.startswith(expected)


def test_the_import_report_counts_devices_with_their_plural():
    template = Template("{% load i18n %}{% include 'equipment/imports/_report.html' %}")
    for total, expected in ((1, "contient 1 appareil."), (6, "contient 6 appareils.")):
        html = template.render(
            Context({"file_name": "lot.csv", "report": {"total": total, "invalid_lines": 1}})
        )
        assert expected in html, html
