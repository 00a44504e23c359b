"""The file page extension point: apps above beneficiaries add their section to the file."""

import pytest

from solidarnum.beneficiaries import file_page

from . import make_beneficiary


def test_equipment_adds_the_devices_section(world):
    beneficiary = make_beneficiary(world)
    sections = {s.template_name: s.context for s in file_page.sections_of(beneficiary)}
    devices = sections["equipment/reservations/_file_section.html"]["devices"]
    assert list(devices) == []


def test_a_section_is_registered_once(monkeypatch):
    monkeypatch.setattr(file_page, "_sections", [])
    section = file_page.Section(template_name="x/_section.html", context=lambda b: {})
    file_page.add_section(section)
    file_page.add_section(section)
    assert file_page._sections == [section]


def test_a_section_goes_into_a_known_tab(monkeypatch):
    monkeypatch.setattr(file_page, "_sections", [])
    with pytest.raises(ValueError):
        file_page.add_section(
            file_page.Section(template_name="x/_section.html", context=dict, tab="nulle-part")
        )
    assert file_page._sections == []


def test_the_apps_put_their_sections_into_the_tabs():
    tabs = {s.template_name: s.tab for s in file_page._sections}
    assert tabs == {
        "equipment/reservations/_file_section.html": file_page.EQUIPMENT,
        "connectivity/codes/_file_section.html": file_page.EQUIPMENT,
        "connectivity/mediation/_file_section.html": file_page.EQUIPMENT,
        "sales/_file_section.html": file_page.EQUIPMENT,
        "notifications/_file_section.html": file_page.MESSAGES,
        "support/_file_section.html": file_page.SUPPORT,
    }
    assert file_page.tabs()[0].key == file_page.FILE
    assert file_page.tab_of("inconnu").key == file_page.FILE
