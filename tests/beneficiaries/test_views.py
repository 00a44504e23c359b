from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.beneficiaries import services
from solidarnum.beneficiaries.diagnostic import QUESTION_CODES
from solidarnum.beneficiaries.enums import ExitOutcome, Profile
from solidarnum.beneficiaries.models import (
    AccessPeriod,
    Beneficiary,
    Diagnostic,
    StaffNote,
    TimelineEntry,
)
from solidarnum.privacy.models import AuditAction, AuditEvent
from solidarnum.referrals.models import Referral
from tests.pages import count_queries

from . import make_beneficiary, make_beneficiary_b

HOUSING_LABEL = "Hébergé·e"  # housing of the default referral
PHONE_NATIONAL = "06 12 34 56 78"
PHONE_E164 = "+33612345678"
WARNING = "La personne peut demander à lire ces notes : écrivez des faits, avec respect."
FILE_URLS = [
    "beneficiaries:beneficiary_detail",
    "beneficiaries:beneficiary_note_add",
    "beneficiaries:beneficiary_diagnostic",
    "beneficiaries:beneficiary_merge",
    "beneficiaries:beneficiary_exit",
]


def url(name, beneficiary, **query):
    path = reverse(name, args=[beneficiary.public_id])
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def view_events(beneficiary):
    return AuditEvent.objects.filter(
        object_type="beneficiaries.beneficiary",
        object_id=str(beneficiary.pk),
        action=AuditAction.VIEW,
    )


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILE_URLS)
def test_anonymous_is_sent_to_log_in(clients, world, name):
    response = clients["anonymous"].get(url(name, make_beneficiary(world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", FILE_URLS)
@pytest.mark.parametrize("role", ["admin", "referent", "lead_referent", "donor_contact"])
def test_national_admins_and_partners_never_see_files(clients, world, name, role):
    assert clients[role].get(url(name, make_beneficiary(world))).status_code == 403


@pytest.mark.parametrize("name", FILE_URLS)
def test_another_sites_file_answers_404(clients, world, name):
    assert clients["staff_b"].get(url(name, make_beneficiary(world))).status_code == 404
    assert clients["staff_a"].get(url(name, make_beneficiary_b(world))).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "beneficiaries:beneficiary_note_add",
        "beneficiaries:beneficiary_diagnostic",
        "beneficiaries:beneficiary_merge",
        "beneficiaries:beneficiary_exit",
    ],
)
def test_volunteers_cannot_write_on_files(clients, world, name):
    beneficiary = make_beneficiary(world)
    assert clients["volunteer_a"].get(url(name, beneficiary)).status_code == 403
    assert clients["volunteer_a"].post(url(name, beneficiary), {"text": "x"}).status_code == 403
    assert not StaffNote.objects.exists()


# --- List -------------------------------------------------------------------------------------


def test_list_shows_the_sites_current_files_only(clients, world):
    mine = make_beneficiary(world, first_name="Awa", last_name="Diallo")
    make_beneficiary_b(world, first_name="Bruno", last_name="Créteil")
    duplicate = make_beneficiary(world, first_name="Zoé", last_name="Doublon")
    services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=mine, merged=duplicate)
    content = clients["staff_a"].get(reverse("beneficiaries:beneficiary_list")).content.decode()
    assert "Awa Diallo" in content
    assert url("beneficiaries:beneficiary_detail", mine) in content
    assert "Bruno" not in content and "Zoé" not in content
    assert "1985" in content  # birth year column
    assert "jours d&#x27;accès restants" in content or "jours d'accès restants" in content


def test_volunteers_list_has_no_birth_year(clients, world, accompany):
    accompany(make_beneficiary(world))
    content = clients["volunteer_a"].get(reverse("beneficiaries:beneficiary_list")).content.decode()
    assert "Awa Diallo" in content
    assert "Année de naissance" not in content and "1985" not in content


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("diallo", True),
        ("DIÂLLO awa", True),
        ("awa diallo", True),
        ("awa martin", False),
        ("dial", True),
        ("06 12 34 56 78", True),
        ("+33 6 12 34 56 78", True),
        ("5678", True),
        ("0699999999", False),
        ("Martin", False),
    ],
)
def test_list_searches_by_name_or_phone(clients, world, query, found):
    make_beneficiary(world)
    response = clients["staff_a"].get(reverse("beneficiaries:beneficiary_list"), {"q": query})
    assert ("Awa Diallo" in response.content.decode()) is found


def test_volunteers_cannot_search_by_phone(clients, world, accompany):
    accompany(make_beneficiary(world))
    response = clients["volunteer_a"].get(
        reverse("beneficiaries:beneficiary_list"), {"q": "0612345678"}
    )
    assert "Awa Diallo" not in response.content.decode()


def test_list_filters_by_profile_need_and_access(clients, world):
    advanced = make_beneficiary(world, first_name="Avancée", needs_connect=True)
    Beneficiary.objects.filter(pk=advanced.pk).update(profile=Profile.ADVANCED)
    ended = make_beneficiary(world, first_name="Terminée")
    past = timezone.localdate() - timedelta(days=1)
    AccessPeriod.objects.filter(beneficiary=ended).update(
        starts_on=past - timedelta(days=500), ends_on=past
    )
    Beneficiary.objects.filter(pk=ended.pk).refresh_access_ends_on()  # as the services do
    list_url = reverse("beneficiaries:beneficiary_list")

    def names(**params):
        content = clients["staff_a"].get(list_url, params).content.decode()
        return {n for n in ("Avancée", "Terminée") if n in content}

    assert names(profile="advanced") == {"Avancée"}
    assert names(profile="none") == {"Terminée"}
    assert names(need="connect") == {"Avancée"}
    assert names(need="equip") == {"Avancée", "Terminée"}
    assert names(access="active") == {"Avancée"}
    assert names(access="ended") == {"Terminée"}
    assert "accès terminé" in clients["staff_a"].get(list_url, {"access": "ended"}).content.decode()


def test_list_query_count_does_not_grow_with_files(clients, world):
    for i in range(3):
        make_beneficiary(world, first_name=f"Personne{i}")
    few = count_queries(clients["staff_a"], reverse("beneficiaries:beneficiary_list"))
    for i in range(3, 20):
        make_beneficiary(world, first_name=f"Personne{i}")
    assert count_queries(clients["staff_a"], reverse("beneficiaries:beneficiary_list")) == few


# --- File page --------------------------------------------------------------------------------


def test_staff_see_the_whole_file_and_the_view_is_audited(clients, world):
    beneficiary = make_beneficiary(world)
    StaffNote.objects.create(beneficiary=beneficiary, text="Vient le mardi avec sa fille")
    response = clients["staff_a"].get(url("beneficiaries:beneficiary_detail", beneficiary))
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Awa Diallo",
        HOUSING_LABEL,
        PHONE_NATIONAL,
        "1985",
        "CCAS de Paris 19e",
        "Vient le mardi avec sa fille",
        WARNING,
        "Aucune séance prévue",
        "Orientation",
        "Dossier ouvert",  # timeline
    ):
        assert text in content, text
    assert "jours d&#x27;accès restants" in content or "jours d'accès restants" in content
    event = view_events(beneficiary).get()
    assert event.actor == world.users["staff_a"]


def test_volunteers_see_a_reduced_file_and_the_view_is_audited(clients, world, accompany):
    beneficiary = make_beneficiary(world)
    accompany(beneficiary)
    StaffNote.objects.create(beneficiary=beneficiary, text="Vient le mardi avec sa fille")
    services.record_diagnostic(
        acting_user=world.users["staff_a"],
        beneficiary=beneficiary,
        answers=dict.fromkeys(QUESTION_CODES, "alone"),
        equipment=[],
        connection="none",
        telecom_spend_monthly=None,
    )
    response = clients["volunteer_a"].get(url("beneficiaries:beneficiary_detail", beneficiary))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Awa Diallo" in content
    assert "Équiper" in content  # needs
    assert "Avancé" in content  # profile
    assert "Aucune séance prévue" in content
    for secret in (
        HOUSING_LABEL,
        PHONE_NATIONAL,
        PHONE_E164,
        "Année de naissance",
        "Vient le mardi avec sa fille",
        "Diagnostics",
        "recharge solidaire",
        "Notes de suivi",
    ):
        assert secret not in content, secret
    assert view_events(beneficiary).get().actor == world.users["volunteer_a"]


def test_volunteers_see_only_the_people_they_accompany(clients, world, accompany):
    mine = make_beneficiary(world)
    other = make_beneficiary(world, first_name="Bruno", last_name="Martin")
    accompany(mine)
    volunteer = clients["volunteer_a"]
    content = volunteer.get(reverse("beneficiaries:beneficiary_list")).content.decode()
    assert "Awa Diallo" in content and "Bruno" not in content
    assert volunteer.get(url("beneficiaries:beneficiary_detail", other)).status_code == 404


def test_without_a_registered_reach_a_volunteer_sees_no_file(clients, world):
    from solidarnum.beneficiaries import reach

    saved = list(reach._reaches)
    reach._reaches.clear()
    try:
        person = make_beneficiary(world)
        volunteer = clients["volunteer_a"]
        assert volunteer.get(url("beneficiaries:beneficiary_detail", person)).status_code == 404
        content = volunteer.get(reverse("beneficiaries:beneficiary_list")).content.decode()
        assert "Awa Diallo" not in content
    finally:
        reach._reaches[:] = saved


def test_each_view_of_a_file_is_a_new_audit_row(clients, world):
    beneficiary = make_beneficiary(world)
    for _ in range(2):
        clients["manager_a"].get(url("beneficiaries:beneficiary_detail", beneficiary))
    assert view_events(beneficiary).count() == 2


def test_refused_views_write_no_audit_row(clients, world):
    beneficiary = make_beneficiary(world)
    clients["staff_b"].get(url("beneficiaries:beneficiary_detail", beneficiary))
    clients["referent"].get(url("beneficiaries:beneficiary_detail", beneficiary))
    assert not view_events(beneficiary).exists()


def test_file_after_exit_says_access_ended(clients, world):
    beneficiary = make_beneficiary(world)
    services.record_exit(
        acting_user=world.users["staff_a"],
        beneficiary=beneficiary,
        outcome=ExitOutcome.UNREACHABLE,
        is_equipped=False,
        is_connected=False,
        has_basic_skills=False,
    )
    content = (
        clients["staff_a"]
        .get(url("beneficiaries:beneficiary_detail", beneficiary))
        .content.decode()
    )
    assert "accès terminé" in content
    assert "Plus joignable" in content


def test_diagnostics_are_listed_with_their_count_of_alone_answers(clients, world):
    beneficiary = make_beneficiary(world)
    for value in ("no", "alone"):
        answers = dict.fromkeys(QUESTION_CODES, value)
        answers.update(power_on="alone", unlock_phone="alone")
        services.record_diagnostic(
            acting_user=world.users["staff_a"],
            beneficiary=beneficiary,
            answers=answers,
            equipment=["smartphone"],
            connection="prepaid",
            telecom_spend_monthly=None,
        )
    content = (
        clients["staff_a"]
        .get(url("beneficiaries:beneficiary_detail", beneficiary))
        .content.decode()
    )
    total = len(QUESTION_CODES)
    newest, oldest = content.index(f"{total} sur {total}"), content.index(f"2 sur {total}")
    assert newest < oldest  # newest first: progress reads top-down


def add_timeline(beneficiary, count):
    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            beneficiary=beneficiary,
            kind="test",
            summary=f"Événement {i}",
            at=now - timedelta(minutes=i),
        )
        for i in range(count)
    )


def test_file_page_query_count_does_not_grow_with_the_timeline(clients, world, accompany):
    beneficiary = make_beneficiary(world)
    accompany(beneficiary)
    StaffNote.objects.create(beneficiary=beneficiary, text="Une note")
    add_timeline(beneficiary, 1)  # with "Dossier ouvert" and the first visit: 3 entries
    path = url("beneficiaries:beneficiary_detail", beneficiary)
    few = count_queries(clients["staff_a"], path)
    add_timeline(beneficiary, 57)
    assert TimelineEntry.objects.filter(beneficiary=beneficiary).count() == 60
    assert count_queries(clients["staff_a"], path) == few
    assert count_queries(clients["volunteer_a"], path) < few


def test_long_timeline_is_paged_with_voir_plus(clients, world):
    beneficiary = make_beneficiary(world)
    # The two intake entries ("Dossier ouvert", validation) become the oldest.
    TimelineEntry.objects.filter(beneficiary=beneficiary).update(
        at=timezone.now() - timedelta(days=30)
    )
    add_timeline(beneficiary, 58)
    first = (
        clients["staff_a"]
        .get(url("beneficiaries:beneficiary_detail", beneficiary))
        .content.decode()
    )
    assert "Événement 0<" in first and "Événement 49<" in first
    assert "Événement 50<" not in first and "Dossier ouvert" not in first
    assert "Voir plus" in first and "parcours=2" in first
    second = clients["staff_a"].get(
        url("beneficiaries:beneficiary_detail", beneficiary, parcours=2)
    )
    content = second.content.decode()
    assert "Événement 57" in content and "Dossier ouvert" in content
    assert "Événement 0<" not in content and "Voir plus" not in content
    for odd in ("abc", "-3", "9" * 30):
        path = url("beneficiaries:beneficiary_detail", beneficiary, parcours=odd)
        assert clients["staff_a"].get(path).status_code == 200


# --- Notes ------------------------------------------------------------------------------------


def test_staff_add_a_note(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_note_add", beneficiary),
        {"text": "A obtenu un rendez-vous CAF."},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("beneficiaries:beneficiary_detail", beneficiary))
    note = StaffNote.objects.get(beneficiary=beneficiary)
    assert note.author == world.users["staff_a"]
    assert AuditEvent.objects.filter(
        object_type="beneficiaries.staffnote", action=AuditAction.CREATE
    ).exists()


def test_an_empty_note_gets_a_french_message_and_saves_nothing(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_note_add", beneficiary), {"text": "  "}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "La note est vide." in content and WARNING in content
    assert not StaffNote.objects.exists()


# --- Diagnostic -------------------------------------------------------------------------------


def diagnostic_data(**overrides):
    data = dict.fromkeys(QUESTION_CODES, "alone")
    data.update(equipment=["smartphone"], connection="prepaid", telecom_spend_monthly="25")
    data.update(overrides)
    return data


def test_diagnostic_form_shows_the_questions_as_radio_buttons(clients, world):
    content = clients["staff_a"].get(
        url("beneficiaries:beneficiary_diagnostic", make_beneficiary(world))
    )
    html = content.content.decode()
    assert "Allumer et éteindre un ordinateur ou un smartphone" in html
    assert html.count('type="radio"') >= 3 * len(QUESTION_CODES)
    assert "CRCN 5.1" in html


def test_a_diagnostic_is_saved_and_updates_the_profile(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_diagnostic", beneficiary),
        diagnostic_data(power_on="with_help", telecom_spend_monthly="12,50"),
    )
    assert response.status_code == 302
    diagnostic = Diagnostic.objects.get(beneficiary=beneficiary)
    assert str(diagnostic.telecom_spend_monthly) == "12.50"
    assert diagnostic.profile == Profile.EXCLUDED
    beneficiary.refresh_from_db()
    assert beneficiary.profile == Profile.EXCLUDED
    page = clients["staff_a"].get(response["Location"]).content.decode()
    assert "parcours d&#x27;initiation 12 h" in page or "parcours d'initiation 12 h" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"telecom_spend_monthly": "-5"}, "Le montant ne peut pas être négatif."),
        ({"telecom_spend_monthly": "501"}, "Indiquez un montant de 500 € au plus par mois."),
        ({"telecom_spend_monthly": "beaucoup"}, "Indiquez un montant en euros"),
        ({"power_on": ""}, "Choisissez une réponse : seul·e, avec aide ou non."),
        ({"power_on": "peut-être"}, "Choisissez une réponse : seul·e, avec aide ou non."),
        ({"connection": ""}, "Choisissez le type de connexion."),
        ({"profile_override": "beginner"}, "expliquez pourquoi vous en retenez un autre"),
    ],
)
def test_bad_diagnostic_input_gets_a_french_message_and_saves_nothing(
    clients, world, overrides, message
):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_diagnostic", beneficiary), diagnostic_data(**overrides)
    )
    assert response.status_code == 400
    content = response.content.decode().replace("&#x27;", "'")
    assert message in content
    assert "rien n'a été enregistré" in content
    assert not Diagnostic.objects.exists()
    beneficiary.refresh_from_db()
    assert beneficiary.profile == ""


def test_staff_override_the_profile_with_a_reason(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_diagnostic", beneficiary),
        diagnostic_data(profile_override="beginner", override_reason="Peur de mal faire"),
    )
    assert response.status_code == 302
    diagnostic = Diagnostic.objects.get()
    assert (diagnostic.computed_profile, diagnostic.profile) == (Profile.ADVANCED, "beginner")


# --- Merge ------------------------------------------------------------------------------------


def test_merge_page_proposes_likely_duplicates(clients, world):
    kept = make_beneficiary(world)
    duplicate = make_beneficiary(world, first_name="Awa", last_name="DIALLO")
    make_beneficiary(world, first_name="Autre", last_name="Personne", phone="+33699999999")
    content = clients["staff_a"].get(url("beneficiaries:beneficiary_merge", kept)).content.decode()
    assert f"avec={duplicate.public_id}" in content
    assert f"avec={kept.public_id}" not in content
    assert "Autre Personne" not in content
    searched = clients["staff_a"].get(url("beneficiaries:beneficiary_merge", kept, q="personne"))
    assert "Autre Personne" in searched.content.decode()
    chosen = clients["staff_a"].get(
        url("beneficiaries:beneficiary_merge", kept, avec=duplicate.public_id)
    )
    assert "Confirmer la fusion" in chosen.content.decode()


def test_merge_moves_everything_and_the_old_url_redirects(clients, world):
    kept = make_beneficiary(world)
    merged = make_beneficiary(world, first_name="Awa", last_name="DIALLO")
    StaffNote.objects.create(beneficiary=merged, text="Note du doublon")
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_merge", kept),
        {"merged": str(merged.public_id), "confirm": "on"},
    )
    assert response.status_code == 302
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert Referral.objects.filter(beneficiary=kept).count() == 2
    assert StaffNote.objects.get().beneficiary == kept
    old = clients["staff_a"].get(url("beneficiaries:beneficiary_detail", merged))
    assert old.status_code == 302 and old["Location"] == url(
        "beneficiaries:beneficiary_detail", kept
    )
    assert not view_events(merged).exists()
    listing = clients["staff_a"].get(reverse("beneficiaries:beneficiary_list")).content.decode()
    assert url("beneficiaries:beneficiary_detail", merged) not in listing


@pytest.mark.parametrize(
    ("target", "confirm", "message"),
    [
        ("self", "on", "Un dossier ne peut pas être fusionné avec lui-même."),
        ("other_site", "on", "Ce dossier est introuvable sur votre point d'accueil."),
        ("not-a-uuid", "on", "Cet identifiant de dossier n'est pas valide."),
        ("duplicate", "", "Cochez la case pour confirmer la fusion."),
    ],
)
def test_bad_merges_get_a_french_message_and_change_nothing(
    clients, world, target, confirm, message
):
    kept = make_beneficiary(world)
    duplicate = make_beneficiary(world)
    other_site = make_beneficiary_b(world)
    merged_id = {
        "self": str(kept.public_id),
        "other_site": str(other_site.public_id),
        "duplicate": str(duplicate.public_id),
    }.get(target, target)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_merge", kept), {"merged": merged_id, "confirm": confirm}
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Beneficiary.objects.filter(merged_into__isnull=False).exists()


# --- Exit -------------------------------------------------------------------------------------


def test_autonomous_exit_without_the_three_ticks_is_refused(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_exit", beneficiary),
        {"outcome": "autonomous", "is_equipped": "on", "is_connected": "on"},
    )
    assert response.status_code == 400
    assert "demande les trois cases" in response.content.decode()
    beneficiary.refresh_from_db()
    assert beneficiary.exited_on is None


def test_exit_is_recorded_and_the_period_ends_early(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(
        url("beneficiaries:beneficiary_exit", beneficiary),
        {
            "outcome": "autonomous",
            "is_equipped": "on",
            "is_connected": "on",
            "has_basic_skills": "on",
            "comment": "Bravo",
        },
    )
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.exited_on == timezone.localdate()
    assert beneficiary.has_basic_skills and beneficiary.exit_comment == "Bravo"
    assert AccessPeriod.objects.get(beneficiary=beneficiary).ended_early_on is not None
    again = (
        clients["staff_a"].get(url("beneficiaries:beneficiary_exit", beneficiary)).content.decode()
    )
    assert "La sortie a été enregistrée le" in again


def test_early_end_when_unreachable_uses_the_same_form(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["manager_a"].post(
        url("beneficiaries:beneficiary_exit", beneficiary), {"outcome": "unreachable"}
    )
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.exit_outcome == ExitOutcome.UNREACHABLE
    assert AccessPeriod.objects.get(beneficiary=beneficiary).ended_early_on is not None


def test_exit_without_outcome_gets_a_french_message(clients, world):
    beneficiary = make_beneficiary(world)
    response = clients["staff_a"].post(url("beneficiaries:beneficiary_exit", beneficiary), {})
    assert response.status_code == 400
    assert "Choisissez le motif de sortie." in response.content.decode()
