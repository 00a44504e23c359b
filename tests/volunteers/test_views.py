"""The volunteers' pages: scope, bad input (400, nothing saved), the public form's defences,
exports, and constant query counts."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.notifications.models import Message
from solidarnum.volunteers.enums import CandidateStatus, HoursStatus
from solidarnum.volunteers.models import (
    BroadcastRecipient,
    Candidate,
    DeclaredHours,
    VolunteerProfile,
    WeeklySlot,
)
from tests.conftest import make_user
from tests.pages import count_queries, messages_of

from .factories import (
    make_broadcast,
    make_candidate,
    make_hours,
    make_profile,
    make_registration,
    make_slot,
    make_training,
)

APPLICATION = {
    "first_name": "Chloé",
    "last_name": "Martin",
    "email": "chloe@example.org",
    "skills": ["one_to_one"],
    "availability": "le mardi après-midi",
    "consent": "on",
}


def test_the_volunteer_fills_the_profile_and_the_manager_sees_it_to_check(world, clients):
    response = clients["volunteer_a"].post(
        reverse("volunteers:my_profile_edit"),
        {
            "contact_channel": "sms",
            "phone": "06 12 34 56 78",
            "skills": ["one_to_one", "procedures"],
            "languages_spoken": ["fr", "ar"],
            "languages_read": ["fr"],
            "started_on": "2025-09-01",
            "charter_signed_on": "2025-09-01",
            "charter_version": "2024-1",
            "emergency_contact_name": "Marie Volunteer",
            "emergency_contact_phone": "0612345679",
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=world.users["volunteer_a"])
    assert profile.languages_spoken == ["fr", "ar"] and profile.checked_at is None
    page = clients["manager_a"].get(
        reverse("volunteers:volunteer_detail", args=[world.users["volunteer_a"].pk])
    )
    assert "Marie Volunteer" in page.content.decode()  # the manager sees the emergency contact
    assert "Arabe" in page.content.decode()


def test_a_charter_signed_without_its_version_is_refused_and_nothing_saved(world, clients):
    response = clients["volunteer_a"].post(
        reverse("volunteers:my_profile_edit"),
        {"contact_channel": "email", "charter_signed_on": "2025-09-01"},
    )
    assert response.status_code == 400
    assert "version de la charte" in response.content.decode()
    assert not VolunteerProfile.objects.exists()


def test_national_admins_see_counts_and_hours_never_a_profile(world, clients):
    make_profile(world.users["volunteer_a"], emergency_contact_name="Marie Secret")
    hours = make_hours(world.users["volunteer_a"], world.site_a, status=HoursStatus.VALIDATED)
    assert hours.status == HoursStatus.VALIDATED
    page = clients["admin"].get(reverse("volunteers:hours_summary")).content.decode()
    assert "Paris 19e" in page and "1,50" in page
    assert "Marie Secret" not in page and "Victor" not in page
    detail = reverse("volunteers:volunteer_detail", args=[world.users["volunteer_a"].pk])
    assert clients["admin"].get(detail).status_code == 403


def test_a_manager_of_another_site_does_not_find_the_volunteer(world, clients):
    other = make_user("olivier.other@example.org", Role.SITE_MANAGER, reception_point=world.site_b)
    from tests.conftest import client_for

    detail = reverse("volunteers:volunteer_detail", args=[world.users["volunteer_a"].pk])
    assert client_for(other).get(detail).status_code == 404


def test_an_overlapping_slot_answers_400_in_french_and_saves_nothing(world, clients):
    make_slot(make_profile(world.users["volunteer_a"]), world.site_a)
    response = clients["volunteer_a"].post(
        reverse("volunteers:slot_add"),
        {
            "reception_point": world.site_a.pk,
            "weekday": 1,
            "starts_at": "15:00",
            "ends_at": "18:00",
        },
    )
    assert response.status_code == 400
    assert "chevauche votre créneau" in response.content.decode()
    assert WeeklySlot.objects.count() == 1


def test_a_negative_duration_answers_400_and_saves_nothing(world, clients):
    response = clients["volunteer_a"].post(
        reverse("volunteers:my_hours"),
        {
            "reception_point": world.site_a.pk,
            "worked_on": timezone.localdate().isoformat(),
            "hours": "-2",
            "category": "welcome",
        },
    )
    assert response.status_code == 400
    assert "durée doit être positive" in response.content.decode()
    assert not DeclaredHours.objects.exists()


def test_the_manager_validates_a_declared_hour_and_downloads_the_valuation(world, clients):
    declared = make_hours(world.users["volunteer_a"], world.site_a, minutes=120)
    manager = clients["manager_a"]
    assert "Victor" in manager.get(reverse("volunteers:hours_review")).content.decode()
    manager.post(reverse("volunteers:hours_decide", args=[declared.pk]), {"decision": "validate"})
    declared.refresh_from_db()
    assert declared.status == HoursStatus.VALIDATED
    csv = manager.get(reverse("volunteers:valuation_csv"))
    text = csv.content.decode("utf-8-sig")
    assert "Victor Volunteer;2.00;0;0;23.76" in text
    assert "Taux horaire retenu (€);11.88" in text
    pdf = manager.get(reverse("volunteers:valuation_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_public_form_stores_only_what_it_asks(world, client):
    url = reverse("volunteers:apply", args=[world.site_a.pk])
    response = client.post(url, {**APPLICATION, "birth_year": "1980", "address": "12 rue X"})
    assert response.status_code == 200
    candidate = Candidate.objects.get()
    assert candidate.reception_point == world.site_a
    assert candidate.status == CandidateStatus.TO_CONTACT and candidate.consented_at
    fields = {f.name for f in Candidate._meta.get_fields()}
    assert "birth_year" not in fields and "address" not in fields


def test_the_public_form_needs_consent(world, client):
    url = reverse("volunteers:apply", args=[world.site_a.pk])
    response = client.post(url, {**APPLICATION, "consent": ""})
    assert response.status_code == 400
    assert "Votre accord est nécessaire" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_robot_filling_the_trap_gets_a_thank_you_and_nothing_is_kept(world, client):
    url = reverse("volunteers:apply", args=[world.site_a.pk])
    response = client.post(url, {**APPLICATION, "website": "http://spam.example"})
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_public_form_is_limited_per_address_and_in_size(world, client, settings):
    settings.VOLUNTEERS_APPLY_RATE = "2/h"
    url = reverse("volunteers:apply", args=[world.site_a.pk])
    with time_machine.travel(timezone.now(), tick=False):  # one fixed window (django-ratelimit)
        for n in range(2):
            response = client.post(url, {**APPLICATION, "email": f"c{n}@example.org"})
            assert response.status_code == 200
        assert client.post(url, APPLICATION).status_code == 429
    assert Candidate.objects.count() == 2
    too_long = client.post(url, {**APPLICATION, "availability": "x" * 9000})
    assert too_long.status_code == 413
    field_limit = {**APPLICATION, "first_name": "x" * 101}
    settings.VOLUNTEERS_APPLY_RATE = "100/h"
    assert client.post(url, field_limit).status_code == 400
    assert Candidate.objects.count() == 2


def test_the_manager_moves_a_candidate_and_invites_them(world, clients):
    candidate = make_candidate(world.site_a, status=CandidateStatus.MET)
    manager = clients["manager_a"]
    url = reverse("volunteers:candidate_detail", args=[candidate.pk])
    assert manager.post(url, {"status": "welcomed"}).status_code == 302
    response = manager.post(reverse("volunteers:candidate_invite", args=[candidate.pk]))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.INVITED
    assert "Invitation envoyée" in " ".join(messages_of(manager.get(url)))


def test_a_broadcast_goes_to_the_site_s_volunteers_and_they_answer_that_they_come(
    world, clients, sms_outbox, django_capture_on_commit_callbacks
):
    make_profile(world.users["volunteer_a"], contact_channel="sms", phone="+33612345678")
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["manager_a"].post(
            reverse("volunteers:broadcast_list"), {"text": "Besoin de renfort samedi matin."}
        )
    assert response.status_code == 302
    recipient = BroadcastRecipient.objects.get()
    assert recipient.user == world.users["volunteer_a"] and recipient.channel == "sms"
    assert Message.objects.get().template == "volunteers.broadcast"
    clients["volunteer_a"].post(
        reverse("volunteers:broadcast_answer", args=[recipient.broadcast_id]), {"coming": "1"}
    )
    detail = clients["manager_a"].get(response["Location"]).content.decode()
    assert "1 bénévole vient." in detail


def test_a_training_s_attendance_and_attestation(world, clients):
    training = make_training(starts_at=timezone.now() - timedelta(hours=4))
    registration = make_registration(training, world.structure_a)
    staff = clients["staff_a"]
    staff.post(
        reverse("volunteers:training_attendance", args=[training.pk]),
        {"present": [registration.pk]},
    )
    registration.refresh_from_db()
    assert registration.attended is True
    pdf = clients["lead_referent"].get(
        reverse("volunteers:training_attestation", args=[training.pk, registration.pk])
    )
    assert pdf.content.startswith(b"%PDF")
    report = staff.get(reverse("volunteers:training_report")).content.decode()
    assert "CCAS de Paris 19e" in report


def test_the_lead_referent_registers_a_colleague_of_their_structure_only(world, clients):
    training = make_training()
    response = clients["lead_referent"].post(
        reverse("volunteers:training_register", args=[training.pk]),
        {"first_name": "Rémi", "last_name": "Collègue", "email": "remi@example.org"},
    )
    assert response.status_code == 302
    assert training.registrations.get().partner_structure == world.structure_a


@pytest.mark.parametrize("count", [2, 12])
def test_the_volunteer_list_costs_the_same_whatever_its_length(world, clients, count):
    for n in range(count):
        user = make_user(f"v{n}.benevole@example.org", Role.VOLUNTEER, reception_point=world.site_a)
        make_profile(user)
        make_hours(user, world.site_a, status=HoursStatus.VALIDATED)
    queries = count_queries(clients["manager_a"], reverse("volunteers:volunteer_list"))
    assert queries <= 12


@pytest.mark.parametrize(
    "name",
    ["volunteers:week", "volunteers:hours_summary", "volunteers:hours_review"],
)
def test_site_pages_cost_a_bounded_number_of_queries(world, clients, name):
    for n in range(8):
        user = make_user(f"w{n}.benevole@example.org", Role.VOLUNTEER, reception_point=world.site_a)
        make_slot(make_profile(user), world.site_a, weekday=n % 7)
        make_hours(user, world.site_a)
    assert count_queries(clients["manager_a"], reverse(name)) <= 14


def test_my_messages_lists_only_my_own(world, clients):
    make_broadcast(world.site_a, [world.users["volunteer_a"]], text="Pour Victor")
    make_broadcast(world.site_a, [world.users["staff_a"]], text="Pour quelqu'un d'autre")
    page = clients["volunteer_a"].get(reverse("volunteers:my_messages")).content.decode()
    assert "Pour Victor" in page and "autre" not in page


def test_the_team_page_no_longer_decides_a_volunteer_s_refurbishing_skill(world, clients):
    from solidarnum.accounts.models import Membership

    membership = Membership.objects.get(user=world.users["volunteer_a"])
    url = reverse("accounts:set_device_skill", kwargs={"pk": membership.pk})
    assert clients["manager_a"].post(url, {"value": "0"}).status_code == 403
    membership.refresh_from_db()
    assert membership.can_check_devices
    team = clients["manager_a"].get(reverse("accounts:team")).content.decode()
    assert "décidé dans son profil de bénévole" in team
