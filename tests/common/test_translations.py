"""The catalogues of what people read (ADR 0025): in step with the sources, every message
translated and noted for the translator, checked, and compiled into the committed .mo files."""

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import templatize

from solidarnum.common.language import TRANSLATED_SOURCES

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "solidarnum" / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
# The layout's short labels (skip link, navigation, footer) are not noted one by one: the
# layout belongs to every page, and its labels say what they are.
UNNOTED_SOURCES = {"solidarnum/templates/base.html"}


def catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle)


def _source_messages() -> set[tuple[str | None, str | tuple[str, str]]]:
    """(context, msgid) of every message of the translated sources, as makemessages sees them."""
    found = set()
    for name in TRANSLATED_SOURCES:
        path = ROOT / name
        code = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            code = templatize(code, origin=str(path))
        for _line, _function, message, _comments in extract_python(
            io.BytesIO(code.encode("utf-8")), KEYWORDS, [], {}
        ):
            context = None
            if isinstance(message, tuple):  # the count of ngettext is no string: left out
                message = tuple(part for part in message if part is not None)
            if isinstance(message, tuple) and len(message) == 3:  # npgettext
                context, *plural = message
                message = tuple(plural)
            elif isinstance(message, tuple) and len(message) == 2 and _function.startswith("p"):
                context, message = message
            found.add((context, message))
    return found


def test_the_translated_sources_exist():
    for name in TRANSLATED_SOURCES:
        assert (ROOT / name).is_file(), name


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_holds_exactly_the_messages_people_read(language):
    """Fails after a person-facing wording changes until `make messages` is run."""
    in_catalogue = {(message.context, message.id) for message in catalogue(language) if message.id}
    in_sources = _source_messages()
    assert in_sources - in_catalogue == set(), "run `make messages`, then translate"
    assert in_catalogue - in_sources == set(), "run `make messages`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    problems = []
    messages = catalogue(language)
    for message in messages:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id}")
        if not all(strings):
            problems.append(f"untranslated: {message.id}")
        if message.pluralizable and len(strings) != messages.num_plurals:
            problems.append(f"{len(strings)} plural forms, {messages.num_plurals} expected")
    assert problems == []
    assert not messages.obsolete


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_its_placeholders(language):
    errors = [
        f"{message.id}: {', '.join(str(error) for error in message_errors)}"
        for message, message_errors in catalogue(language).check()
    ]
    assert errors == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_note_for_the_translator(language):
    unnoted = [
        message.id
        for message in catalogue(language)
        if message.id
        and not any(note.startswith("Translators:") for note in message.auto_comments)
        and not all(path in UNNOTED_SOURCES for path, _line in message.locations)
    ]
    assert unnoted == []


def _entries(mo: bytes) -> dict:
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    return {key: value for key, value in translations._catalog.items() if key != ""}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_file_is_compiled_from_the_po_file(language):
    """The .mo files are committed, so that a clean clone (and a server without gettext)
    works; `make messages` compiles them."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    committed = (LOCALE / language / "LC_MESSAGES" / "django.mo").read_bytes()
    assert _entries(committed) == _entries(compiled.getvalue()), "run `make messages`"


def test_the_dari_catalogue_says_its_plural_rule():
    # Dari is unknown to Django: its catalogue carries the rule itself (as Persian: n > 1).
    messages = catalogue("prs")
    assert messages.num_plurals == 2
    assert messages.plural_expr == "(n > 1)"
