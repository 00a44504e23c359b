"""Who opened a person's file: a section of the file and a page, for the site manager only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.beneficiaries import services
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.conftest import client_for, make_user

from . import make_beneficiary

SECTION = 'id="consultations"'


def file_url(person) -> str:
    return reverse("beneficiaries:beneficiary_detail", args=[person.public_id])


def readers_url(person) -> str:
    return reverse("beneficiaries:beneficiary_readers", args=[person.public_id])


def section_of(page: str) -> str:
    start = page.index(SECTION)
    return page[start : page.index("</section>", start)]


def opened_by(person, user, times: int = 1) -> None:
    for _ in range(times):
        record(actor=user, action=AuditAction.VIEW, obj=person)


@pytest.fixture
def person(world, accompany):
    beneficiary = make_beneficiary(world)
    accompany(beneficiary)  # the volunteer of these tests accompanies them (ADR 0036)
    return beneficiary


def test_the_site_manager_sees_who_opened_the_file_and_when(world, clients, person):
    clients["staff_a"].get(file_url(person))
    clients["volunteer_a"].get(file_url(person))
    page = clients["manager_a"].get(file_url(person)).content.decode()
    section = section_of(page)
    assert "Qui a ouvert ce dossier" in section
    assert "Sarah Staff" in section and "Victor Volunteer" in section
    assert "Marc Manager" in section  # this very opening is traced too
    opened = AuditEvent.objects.filter(actor=world.users["staff_a"]).latest("id").at
    assert opened.astimezone().strftime("%d/%m/%Y") in section


@pytest.mark.parametrize("role", ["staff_a", "volunteer_a"])
def test_staff_and_volunteers_do_not_see_who_opened_the_file(world, clients, person, role):
    opened_by(person, world.users["manager_a"])
    page = clients[role].get(file_url(person)).content.decode()
    assert SECTION not in page and "Qui a ouvert ce dossier" not in page
    assert readers_url(person) not in page


def test_the_section_lists_the_latest_openings_and_links_to_all(world, clients, person):
    opened_by(person, world.users["staff_a"], times=15)
    section = section_of(clients["manager_a"].get(file_url(person)).content.decode())
    assert section.count("<li") == 10
    assert readers_url(person) in section and "Voir tout" in section


def test_a_file_opened_a_few_times_has_no_see_all_link(world, clients, person):
    opened_by(person, world.users["staff_a"], times=2)
    section = section_of(clients["manager_a"].get(file_url(person)).content.decode())
    assert section.count("<li") == 3  # two, and the manager's opening now
    assert readers_url(person) not in section


def test_the_readers_page_is_paginated(world, clients, person):
    opened_by(person, world.users["staff_a"], times=60)
    opened_by(person, world.users["volunteer_a"])
    first = clients["manager_a"].get(readers_url(person))
    assert first.status_code == 200
    content = first.content.decode()
    assert content.count("<tr") == 1 + 50  # header and one page
    assert "Victor Volunteer" in content  # newest first
    second = clients["manager_a"].get(readers_url(person), {"page": 2}).content.decode()
    assert second.count("<tr") == 1 + 11
    # A page number that means nothing shows the first page rather than an error.
    assert clients["manager_a"].get(readers_url(person), {"page": "x"}).status_code == 200


def test_the_readers_page_is_not_an_opening_of_the_file(world, clients, person):
    before = AuditEvent.objects.count()
    clients["manager_a"].get(readers_url(person))
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["admin", "staff_a", "volunteer_a", "staff_b", "referent"])
def test_only_the_site_manager_reaches_the_readers_page(world, clients, person, role):
    assert clients[role].get(readers_url(person)).status_code == 403


def test_another_sites_manager_gets_not_found(world, person):
    manager_b = make_user(
        "mona.manager@example.org", Role.SITE_MANAGER, reception_point=world.site_b
    )
    client = client_for(manager_b)
    assert client.get(readers_url(person)).status_code == 404
    assert client.get(file_url(person)).status_code == 404


def test_openings_of_a_merged_duplicate_stay_with_the_person(world, clients, person):
    duplicate = make_beneficiary(world, first_name="Awa B.")
    opened_by(duplicate, world.users["staff_a"])
    services.merge_beneficiaries(
        acting_user=world.users["manager_a"], kept=person, merged=duplicate
    )
    content = clients["manager_a"].get(readers_url(person)).content.decode()
    assert "Sarah Staff" in content
    # The duplicate's own URL leads to the kept file's page.
    response = clients["manager_a"].get(readers_url(duplicate))
    assert response.status_code == 302 and response["Location"] == readers_url(person)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_file_page_query_count_does_not_grow_with_openings(world, clients, person):
    opened_by(person, world.users["staff_a"], times=2)
    few = _queries(clients["manager_a"], file_url(person))
    opened_by(person, world.users["volunteer_a"], times=30)
    assert _queries(clients["manager_a"], file_url(person)) == few


def test_the_readers_page_query_count_does_not_grow_with_openings(world, clients, person):
    opened_by(person, world.users["staff_a"], times=2)
    few = _queries(clients["manager_a"], readers_url(person))
    for user in ("volunteer_a", "manager_a", "staff_a"):
        opened_by(person, world.users[user], times=20)
    assert _queries(clients["manager_a"], readers_url(person)) == few <= 6
