"""The person's file in tabs: each tab its own page, computing only its own sections, within
the page budget whatever the file holds (ADR 0045)."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries import file_page, services
from solidarnum.beneficiaries.diagnostic import QUESTION_CODES
from solidarnum.beneficiaries.models import StaffNote, TimelineEntry
from solidarnum.connectivity.mediation import services as mediation
from solidarnum.notifications.models import DoubtfulPhone, OptOut
from solidarnum.privacy.models import AuditAction, AuditEvent
from solidarnum.support.models import WaitingEntry, WorkshopRegistration
from tests.connectivity.factories import make_codes, make_offer
from tests.equipment.factories import make_device, make_prices
from tests.notifications.factories import make_message
from tests.pages import count_queries
from tests.sales.factories import open_till, sell
from tests.support.factories import (
    enrol,
    make_appointment,
    make_cohort,
    make_template,
    make_workshop,
)

from . import make_beneficiary

PAGE_BUDGET = 12  # queries of any staff page, whatever the data
PHONE = "+33612345678"  # the phone of the default referral


def url(beneficiary, tab=None):
    path = reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])
    return f"{path}?onglet={tab}" if tab else path


def fill(world, person, session, round_):
    """One more of everything every tab shows."""
    staff = world.users["staff_a"]
    scope = resolve_scope(staff, None)
    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(beneficiary=person, kind="test", summary=f"Événement {round_}-{i}", at=now)
        for i in range(5)
    )
    StaffNote.objects.create(beneficiary=person, text=f"Note {round_}")
    services.record_diagnostic(
        acting_user=staff,
        beneficiary=person,
        answers=dict.fromkeys(QUESTION_CODES, "alone" if round_ else "no"),
        equipment=[],
        connection="none",
        telecom_spend_monthly=None,
    )
    make_appointment(world, person=person, starts_at=now + timedelta(days=3 + round_))
    WorkshopRegistration.objects.create(workshop=make_workshop(world), beneficiary=person)
    start = timezone.localdate() + timedelta(days=5)
    enrol(make_cohort(world, template=make_template(f"Initiation {round_}"), start=start), person)
    offer = make_offer(f"Recharge {round_}")
    make_codes(offer, world.site_a, 1)
    devices = (make_device(world),) if round_ == 0 else ()
    sell(world, session, person, devices=devices, offers=(offer,), override_reason="essai")
    mediation.record_plan_advice(
        acting_user=staff, scope=scope, beneficiary=person, needs="appels", advice="Recharge"
    )
    mediation.open_mediation(
        acting_user=staff, scope=scope, beneficiary=person, kind="debt", operator=f"Op {round_}"
    )
    for _ in range(3):
        make_message(beneficiary=person, recipient=PHONE)


@pytest.fixture
def full_file(world):
    person = make_beneficiary(world)
    make_prices()
    session = open_till(world)
    WaitingEntry.objects.create(reception_point=world.site_a, beneficiary=person)
    DoubtfulPhone.objects.create(beneficiary=person, phone=PHONE)
    OptOut.objects.create(phone=PHONE)
    fill(world, person, session, 0)
    return person, lambda: fill(world, person, session, 1)


@pytest.mark.parametrize("role", ["staff_a", "manager_a"])
def test_each_tab_stays_within_the_page_budget_whatever_the_file_holds(clients, full_file, role):
    person, fill_more = full_file
    keys = [tab.key for tab in file_page.tabs()]
    before = {key: count_queries(clients[role], url(person, key)) for key in keys}
    fill_more()
    after = {key: count_queries(clients[role], url(person, key)) for key in keys}
    assert after == before
    assert max(after.values()) <= PAGE_BUDGET, after


def tab_bar(page):
    return page[
        page.index('<nav class="file-tabs"') : page.index("</nav>", page.index("file-tabs"))
    ]


def test_the_tab_bar_links_every_tab_and_marks_the_current_one(clients, world):
    person = make_beneficiary(world)
    page = clients["staff_a"].get(url(person, file_page.EQUIPMENT)).content.decode()
    bar = tab_bar(page)
    for label in ("Dossier", "Accompagnement", "Équipement et connexion", "Messages"):
        assert label in bar, label
    assert bar.count('aria-current="page"') == 1
    assert f'href="{url(person, file_page.EQUIPMENT)}" aria-current="page"' in bar
    assert f'href="{url(person)}"' in bar  # the file itself: its usual address


def test_each_section_is_on_its_tab_only(clients, world):
    person = make_beneficiary(world)
    client = clients["staff_a"]
    pages = {tab.key: client.get(url(person, tab.key)).content.decode() for tab in file_page.tabs()}
    where = {
        "Notes de suivi": file_page.FILE,
        'id="parcours"': file_page.FILE,
        "Prochaines séances": file_page.FILE,
        "Réserver une permanence": file_page.SUPPORT,
        "Aucun appareil réservé ni obtenu.": file_page.EQUIPMENT,
        "Aucune carte SIM ni recharge obtenue.": file_page.EQUIPMENT,
        "Conseil forfait et médiation": file_page.EQUIPMENT,
        "Achats à la caisse": file_page.EQUIPMENT,
        "Aucun message envoyé.": file_page.MESSAGES,
    }
    for text, key in where.items():
        assert [k for k, page in pages.items() if text in page] == [key], text


@pytest.mark.parametrize("value", ["inconnu", "", "<script>", "dossier"])
def test_an_unknown_tab_is_the_file_itself(clients, world, value):
    person = make_beneficiary(world)
    response = clients["staff_a"].get(url(person), {"onglet": value})
    assert response.status_code == 200
    assert "Notes de suivi" in response.content.decode()
    assert f'href="{url(person)}" aria-current="page"' in tab_bar(response.content.decode())


def test_a_tab_without_sections_says_so(clients, world, monkeypatch):
    monkeypatch.setitem(file_page._tabs, "vide", file_page.Tab("vide", "Vide", 99))
    person = make_beneficiary(world)
    page = clients["staff_a"].get(url(person, "vide")).content.decode()
    assert "Rien dans cet onglet pour l'instant." in unescape(page)


def test_each_tab_display_is_audited(clients, world):
    person = make_beneficiary(world)
    views = AuditEvent.objects.filter(
        object_type="beneficiaries.beneficiary", object_id=str(person.pk), action=AuditAction.VIEW
    )
    for tab in file_page.tabs():
        clients["staff_a"].get(url(person, tab.key))
    assert views.count() == len(file_page.tabs())


def test_volunteers_have_no_tabs_and_keep_their_reduced_file(clients, world, accompany):
    person = make_beneficiary(world)
    accompany(person)
    StaffNote.objects.create(beneficiary=person, text="Vient le mardi")
    for tab in file_page.tabs():
        page = clients["volunteer_a"].get(url(person, tab.key)).content.decode()
        assert "file-tabs" not in page
        assert "Prochaines séances" in page and "Besoins" in page
        for hidden in ("Vient le mardi", "Réserver une permanence", "Achats à la caisse"):
            assert hidden not in page, hidden
