"""Every message template renders in every language without a missing variable; what a person
receives carries only what they need; the catalogues are complete and compiled."""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import override_settings

from solidarnum.notifications import messages
from solidarnum.notifications.enums import Channel

LOCALE = Path(messages.__file__).parent / "locale"
CASES = [
    pytest.param(template, language, channel, id=f"{template.key}-{language}-{channel}")
    for template in messages.all_templates()
    for language in messages.languages()
    for channel in template.channels
]
# A Django template variable the context does not have is written as this.
STRICT_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"string_if_invalid": "@@MISSING %s@@"},
    }
]


def test_the_templates_are_registered():
    keys = {template.key for template in messages.all_templates()}
    assert {
        "referrals.voucher",
        "referrals.status_changed",
        "referrals.reminder",
        "referrals.digest",
    } <= keys


@pytest.mark.parametrize(("template", "language", "channel"), CASES)
def test_every_template_renders_in_every_language(template, language, channel):
    with override_settings(TEMPLATES=STRICT_TEMPLATES):
        rendered = messages.render(template, template.sample, language=language, channel=channel)
    text = rendered.subject + rendered.body
    assert "@@MISSING" not in text
    assert "%(" not in text and "{{" not in text and "{%" not in text
    assert rendered.body.strip()
    if channel == Channel.EMAIL:
        assert rendered.subject.strip()
    for value in template.sample.values():
        if isinstance(value, str) and value and template.sms:
            assert value in text or (channel == Channel.EMAIL and template.email_template)


@pytest.mark.parametrize("template", messages.all_templates(), ids=lambda t: t.key)
def test_the_texts_use_only_declared_variables(template):
    texts = [template.sms, template.email]
    subject = template.subject
    texts.append(str(getattr(subject, "_proxy____args", [subject])[0]) if subject else "")
    used = set()
    for text in texts:
        used |= set(re.findall(r"%\((\w+)\)", str(text)))
    assert used <= set(template.variables), used - set(template.variables)
    assert set(template.sample) == set(template.variables)


def test_a_missing_variable_is_refused():
    template = messages.get("referrals.voucher")
    with pytest.raises(messages.MissingVariable, match="code"):
        messages.render(template, {}, language="fr", channel=Channel.SMS)


@pytest.mark.parametrize(
    "template", [t for t in messages.all_templates() if t.is_for_person], ids=lambda t: t.key
)
def test_what_a_person_receives_carries_only_what_they_need(template):
    assert set(template.variables) <= messages.PERSON_VARIABLES


def test_the_person_language_is_the_first_known_one():
    assert messages.language_for(["ps", "prs", "fr"]) == "prs"
    assert messages.language_for(["UK"]) == "uk"
    assert messages.language_for(["wo"]) == "fr"
    assert messages.language_for(["fa"]) == "prs"  # "Persan (farsi, dari)" on a referral
    assert messages.language_for([]) == "fr"


def _person_msgids():
    ids = set()
    for template in messages.all_templates():
        if template.is_for_person:
            ids |= {template.sms, template.email, str(template.subject)} - {""}
    return ids


# Apps above notifications keep the texts they register in their own catalogue.
APP_LOCALES = [LOCALE, Path(messages.__file__).parents[1] / "support" / "locale"]


@pytest.mark.parametrize("language", ["en", "ar", "uk", "prs"])
def test_every_text_a_person_receives_is_translated(language):
    catalogs = []
    for root in APP_LOCALES:
        with (root / language / "LC_MESSAGES" / "django.po").open("rb") as po:
            catalogs.append(read_po(po))
    for msgid in _person_msgids():
        message = next((c.get(msgid) for c in catalogs if c.get(msgid) is not None), None)
        assert message is not None and message.string, (language, msgid[:40])
        assert not message.fuzzy
        assert set(re.findall(r"%\((\w+)\)", msgid)) == set(
            re.findall(r"%\((\w+)\)", message.string)
        )
        assert any("Translators" in comment for comment in message.auto_comments)


@pytest.mark.parametrize("language", ["fr", "en", "ar", "uk", "prs"])
def test_the_compiled_catalogues_match_their_sources(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.po").open("rb") as po:
        catalog = read_po(po)
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in catalog:
        if message.id and message.string and not message.pluralizable:
            assert compiled._catalog.get(message.id) == message.string, "run compilemessages"
