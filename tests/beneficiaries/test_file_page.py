"""The file page extension point: apps above beneficiaries add their section to the file."""

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
