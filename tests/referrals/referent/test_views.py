"""The référent's pages: write a bon, follow it, switch the digest; the public privacy notice."""

from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.beneficiaries.models import StaffNote
from solidarnum.privacy.models import AuditEvent
from solidarnum.referrals import services
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import DigestSubscription, Referral, RefusalReason
from tests.conftest import client_for, make_place, make_user
from tests.referrals.factories import make_referral

REFERENT_URLS = [
    "referrals:referral_create",
    "referrals:referent_referral_list",
    "referrals:referent_referral_detail",
    "referrals:referral_voucher_pdf",
    "referrals:referent_settings",
]


def url_for(name, world):
    if name in {"referrals:referent_referral_detail", "referrals:referral_voucher_pdf"}:
        return reverse(name, kwargs={"reference": make_referral(world).reference})
    return reverse(name)


def bon(world, **overrides):
    """A valid bon d'orientation as POSTed by the form; None removes a field."""
    data = {
        "first_name": "Awa",
        "last_name": "Diallo",
        "birth_year": "1985",
        "phone": "06 12 34 56 78",
        "contact_notes": "",
        "email": "",
        "languages": ["fr", "ar"],
        "contact_preference": "sms",
        "housing": "sheltered",
        "publics": ["newcomer", "job_seeker"],
        "needs_equip": "on",
        "needs_equip_detail": "Un ordinateur pour les démarches",
        "needs_connect_detail": "",
        "needs_support_detail": "",
        "reception_point": str(world.site_a.pk),
        "reason": "Démarches en ligne impossibles sans matériel.",
        "has_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def other_referent(world):
    """A référent of another structure (attached to site B)."""
    return client_for(
        make_user("rita.other@example.org", Role.REFERENT, partner_structure=world.structure_b)
    )


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENT_URLS)
def test_anonymous_is_sent_to_log_in(world, clients, name):
    response = clients["anonymous"].get(url_for(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", REFERENT_URLS)
@pytest.mark.parametrize("role", ["staff_a", "relay_operator", "admin"])
def test_other_roles_are_refused(world, clients, name, role):
    assert clients[role].get(url_for(name, world)).status_code == 403


@pytest.mark.parametrize(
    "name", ["referrals:referent_referral_detail", "referrals:referral_voucher_pdf"]
)
def test_another_structure_referral_answers_404(world, other_referent, name):
    referral = make_referral(world)
    url = reverse(name, kwargs={"reference": referral.reference})
    assert other_referent.get(url).status_code == 404


def test_a_missing_reference_answers_404(world, clients):
    url = reverse("referrals:referent_referral_detail", kwargs={"reference": "ZZZZZZ"})
    assert clients["referent"].get(url).status_code == 404


# --- Writing a bon -----------------------------------------------------------------------------


def test_the_form_preselects_the_structure_usual_reception_point(world, clients):
    response = clients["referent"].get(reverse("referrals:referral_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["reception_point"] == world.site_a.pk
    html = response.content.decode()
    assert reverse("referrals:privacy_notice") in html
    # Shown by its name in the text box, its id in the hidden input the form reads first.
    assert f'name="reception_point_text" value="{world.site_a.name}"' in html
    assert f'name="reception_point" value="{world.site_a.pk}"' in html


def test_the_form_lists_active_reception_points_only(world, clients):
    closed = make_place("Lieu fermé", is_active=False)
    response = clients["referent"].get(reverse("referrals:referral_create"))
    choices = [
        str(value) for value, _label in response.context["form"].fields["reception_point"].choices
    ]
    assert str(world.site_b.pk) in choices
    assert str(closed.pk) not in choices


def test_a_referent_writes_a_bon_and_lands_on_its_follow_up(world, clients):
    response = clients["referent"].post(reverse("referrals:referral_create"), bon(world))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "referrals:referent_referral_detail", kwargs={"reference": referral.reference}
    )
    assert referral.status == ReferralStatus.OPEN
    assert referral.referent == world.users["referent"]
    assert referral.partner_structure == world.structure_a
    assert referral.reception_point == world.site_a
    stored_phone = Referral.objects.values_list("phone", flat=True).get()
    assert stored_phone == "+33612345678"  # E.164
    assert referral.languages == ["fr", "ar"]
    assert referral.publics == ["newcomer", "job_seeker"]
    assert referral.needs_equip and not referral.needs_connect
    assert referral.consent_given_at is not None
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="create").exists()

    page = clients["referent"].get(response["Location"])
    content = page.content.decode()
    assert (
        reverse("referrals:referral_voucher_pdf", kwargs={"reference": referral.reference})
        in content
    )
    assert referral.reference in content


def test_a_person_without_phone_is_reached_another_way(world, clients):
    data = bon(
        world,
        phone="",
        has_no_phone="on",
        contact_preference="referent",
        contact_notes="Par l'intermédiaire du CCAS",
    )
    response = clients["referent"].post(reverse("referrals:referral_create"), data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.has_no_phone and referral.phone == ""
    assert referral.contact_notes == "Par l'intermédiaire du CCAS"


def test_another_reception_point_may_be_chosen(world, clients):
    response = clients["referent"].post(
        reverse("referrals:referral_create"), bon(world, reception_point=str(world.site_b.pk))
    )
    assert response.status_code == 302
    assert Referral.objects.get().reception_point == world.site_b


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_year": "1850"}, "L&#x27;année de naissance doit être comprise entre 1900 et"),
        ({"birth_year": "2999"}, "L&#x27;année de naissance doit être comprise entre 1900 et"),
        ({"birth_year": "1985-03-02"}, "4 chiffres"),
        ({"phone": "12"}, "Ce numéro de téléphone n&#x27;est pas valide"),
        ({"phone": ""}, "Indiquez un numéro de téléphone"),
        ({"has_consent": None}, "la personne doit être informée de l&#x27;utilisation"),
        ({"needs_equip": None, "needs_equip_detail": ""}, "Cochez au moins un besoin"),
        (
            {"phone": "", "has_no_phone": "on", "contact_preference": "referent"},
            "Sans téléphone, indiquez un autre moyen de joindre la personne",
        ),
        (
            {"phone": "", "has_no_phone": "on", "contact_notes": "Au foyer"},
            "Sans téléphone, la personne ne peut pas être jointe par SMS",
        ),
        ({"contact_preference": "email"}, "Indiquez l&#x27;e-mail"),
        ({"reception_point": "999999"}, "Ce point d&#x27;accueil n&#x27;existe pas"),
        ({"needs_connect_detail": "Un forfait"}, "Cochez le besoin correspondant"),
        ({"first_name": "  "}, "Indiquez le prénom"),
    ],
    ids=[
        "birth-year-1850",
        "birth-year-future",
        "birth-date",
        "bad-phone",
        "no-phone",
        "no-consent",
        "no-need",
        "no-phone-no-other-contact",
        "no-phone-but-sms",
        "email-preference-without-email",
        "unknown-reception-point",
        "detail-without-need",
        "blank-first-name",
    ],
)
def test_bad_input_gives_a_french_message_and_saves_nothing(world, clients, overrides, message):
    response = clients["referent"].post(
        reverse("referrals:referral_create"), bon(world, **overrides)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content, content
    assert "rien n&#x27;a été enregistré" in content
    assert not Referral.objects.exists()


def test_the_referent_puts_the_needs_in_order(world, clients):
    data = bon(
        world,
        needs_connect="on",
        needs_connect_detail="Un forfait d'abord",
        needs_support="on",
        priority_connect="1",
        priority_equip="2",
    )
    response = clients["referent"].post(reverse("referrals:referral_create"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    referral = Referral.objects.get()
    # Connexion first, then equipment; a need left without a number comes after.
    assert referral.needs_priority == ["connect", "equip", "support"]
    page = unescape(clients["referent"].get(response["Location"]).content.decode())
    needs = page[page.index("<dt>Besoins</dt>") :]
    assert needs.index("Connecter") < needs.index("Équiper") < needs.index("Accompagner")


def test_without_numbers_the_needs_keep_the_usual_order(world, clients):
    data = bon(world, needs_connect="on", needs_support="on")
    assert clients["referent"].post(reverse("referrals:referral_create"), data).status_code == 302
    assert Referral.objects.get().needs_priority == ["equip", "connect", "support"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"needs_connect": "on", "priority_equip": "1", "priority_connect": "1"},
            "Deux besoins ont le même numéro : donnez un numéro différent à chacun.",
        ),
        (
            {"priority_support": "1"},
            "Cochez le besoin correspondant, ou retirez son numéro.",
        ),
        ({"priority_equip": "9"}, "Choisissez 1, 2 ou 3."),
    ],
    ids=["same-number-twice", "number-without-need", "number-out-of-range"],
)
def test_bad_needs_order_gives_a_french_message_and_saves_nothing(
    world, clients, overrides, message
):
    response = clients["referent"].post(
        reverse("referrals:referral_create"), bon(world, **overrides)
    )
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Referral.objects.exists()


def test_an_inactive_reception_point_is_refused(world, clients):
    closed = make_place("Lieu fermé", is_active=False)
    response = clients["referent"].post(
        reverse("referrals:referral_create"), bon(world, reception_point=str(closed.pk))
    )
    assert response.status_code == 400
    assert "n&#x27;accueille plus de public" in response.content.decode()
    assert not Referral.objects.exists()


def test_writing_then_a_staff_validation_emails_the_referent(
    world, clients, django_capture_on_commit_callbacks
):
    clients["referent"].post(reverse("referrals:referral_create"), bon(world))
    referral = Referral.objects.get()
    assert mail.outbox == []  # nothing is sent when the bon is written
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.users["referent"].email]
    assert referral.reference in mail.outbox[0].subject


# --- Follow-up list ----------------------------------------------------------------------------


def test_the_list_shows_the_structure_referrals_only(world, clients, other_referent):
    ours = make_referral(world, first_name="Awa")
    theirs = make_referral(
        world,
        first_name="Bintou",
        partner_structure=world.structure_b,
        reception_point=world.site_b,
    )
    content = clients["referent"].get(reverse("referrals:referent_referral_list")).content.decode()
    assert ours.reference in content and "Awa Diallo" in content
    assert theirs.reference not in content
    other = other_referent.get(reverse("referrals:referent_referral_list")).content.decode()
    assert theirs.reference in other and ours.reference not in other


def test_the_list_shows_status_refusal_reason_and_milestones(world, clients):
    refused = make_referral(world, first_name="Refusée")
    validated = make_referral(world, first_name="Validée")
    reason = RefusalReason.objects.get(code="hors-territoire")
    staff = world.users["staff_a"]
    services.refuse_referral(acting_user=staff, referral=refused, reason=reason)
    services.validate_referral(acting_user=staff, referral=validated)
    content = clients["referent"].get(reverse("referrals:referent_referral_list")).content.decode()
    assert reason.label.replace("'", "&#x27;") in content
    assert "Refusée" in content and "Validée" in content
    assert "Première venue" in content


def test_the_list_filters_by_status_and_searches_by_code_or_name(world, clients):
    awa = make_referral(world, first_name="Awa", last_name="Diallo")
    helene = make_referral(world, first_name="Hélène", last_name="Lefèvre")
    services.start_review(acting_user=world.users["staff_a"], referral=helene)
    url = reverse("referrals:referent_referral_list")

    def codes(**params):
        rows = clients["referent"].get(url, params).context["rows"]
        return {referral.reference for referral, _milestones in rows}

    assert codes() == {awa.reference, helene.reference}
    assert codes(status="under_review") == {helene.reference}
    assert codes(status="open") == {awa.reference}
    assert codes(q="lefevre") == {helene.reference}  # accents and case ignored
    assert codes(q=awa.reference.lower()) == {awa.reference}
    assert codes(q="personne") == set()
    assert codes(status="nonsense") == {awa.reference, helene.reference}  # ignored, no error


def test_the_list_is_paginated_without_counting(world, clients):
    for i in range(27):
        make_referral(world, first_name=f"P{i}")
    url = reverse("referrals:referent_referral_list")
    first = clients["referent"].get(url)
    assert len(first.context["rows"]) == 25 and first.context["page"].has_next()
    second = clients["referent"].get(url, {"page": 2})
    assert len(second.context["rows"]) == 2 and not second.context["page"].has_next()
    assert clients["referent"].get(url, {"page": "abc"}).status_code == 200
    assert clients["referent"].get(url, {"page": 99}).status_code == 200


def test_the_list_query_count_does_not_grow_with_rows(world, clients):
    staff = world.users["staff_a"]
    reason = RefusalReason.objects.get(code="autre")

    def add(count):
        for i in range(count):
            referral = make_referral(world, first_name=f"P{i}")
            if i % 3 == 0:
                services.validate_referral(acting_user=staff, referral=referral)
            elif i % 3 == 1:
                services.refuse_referral(acting_user=staff, referral=referral, reason=reason)

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            response = clients["referent"].get(reverse("referrals:referent_referral_list"))
            assert response.status_code == 200
        return len(context.captured_queries), len(response.context["rows"])

    add(3)
    few, rows = count_queries()
    assert rows == 3
    add(17)
    many, rows = count_queries()
    assert rows == 20
    assert many == few


def test_the_list_query_count_is_small(world, clients, django_assert_max_num_queries):
    make_referral(world)
    # session, user, scope, page of referrals, milestones
    with django_assert_max_num_queries(6):
        clients["referent"].get(reverse("referrals:referent_referral_list"))


# --- Follow-up detail --------------------------------------------------------------------------


def test_the_detail_shows_the_decision_and_milestones_never_staff_notes(world, clients):
    referral = make_referral(world)
    services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    referral.refresh_from_db()
    StaffNote.objects.create(beneficiary=referral.beneficiary, text="Note interne confidentielle")
    response = clients["referent"].get(
        reverse(
            "referrals:referent_referral_detail", kwargs={"reference": referral.reference.lower()}
        )
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Validée" in content
    assert "Première venue" in content
    assert timezone.localdate().strftime("%d/%m/%Y") in content  # decision date
    assert "Note interne confidentielle" not in content
    assert "Démarches en ligne impossibles sans matériel." in content  # what the bon said
    assert "Arabe" in content  # language codes shown as names


def test_the_follow_up_of_a_validated_referral_gives_the_access_end_date_only(world, clients):
    from solidarnum.beneficiaries.models import AccessPeriod

    pending = make_referral(world, first_name="Binta", phone="+33611111111")
    referral = make_referral(world)
    referral = services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    period = AccessPeriod.objects.get(referral=referral)
    end = period.ends_on.strftime("%d/%m/%Y")
    detail = clients["referent"].get(
        reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
    )
    content = unescape(detail.content.decode())
    assert f"Accès solidaire jusqu'au {end}" in content
    assert (
        reverse("beneficiaries:beneficiary_detail", args=[referral.beneficiary.public_id])
        not in content
    )
    listing = unescape(
        clients["referent"].get(reverse("referrals:referent_referral_list")).content.decode()
    )
    assert f"accès jusqu'au {end}" in listing
    assert listing.count("accès jusqu'au") == 1  # not on the pending one
    other = clients["referent"].get(
        reverse("referrals:referent_referral_detail", kwargs={"reference": pending.reference})
    )
    assert "Accès solidaire" not in other.content.decode()
    # Ended early (the person left): the date it ended.
    AccessPeriod.objects.filter(pk=period.pk).update(ended_early_on=timezone.localdate())
    content = (
        clients["referent"]
        .get(
            reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
        )
        .content.decode()
    )
    assert f"Accès solidaire terminé le {timezone.localdate():%d/%m/%Y}" in content


def test_the_detail_of_a_refused_referral_gives_reason_and_comment(world, clients):
    referral = make_referral(world)
    reason = RefusalReason.objects.get(code="hors-territoire")
    services.refuse_referral(
        acting_user=world.users["staff_a"],
        referral=referral,
        reason=reason,
        comment="Habite à Lille",
    )
    content = (
        clients["referent"]
        .get(
            reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
        )
        .content.decode()
    )
    assert reason.label.replace("'", "&#x27;") in content
    assert "Habite à Lille" in content


def test_the_detail_query_count_is_small(world, clients, django_assert_max_num_queries):
    referral = make_referral(world)
    services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    url = reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
    with django_assert_max_num_queries(6):
        assert clients["referent"].get(url).status_code == 200


# --- Preferences -------------------------------------------------------------------------------


def test_the_settings_page_never_writes_on_get(world, clients):
    response = clients["referent"].get(reverse("referrals:referent_settings"))
    assert response.status_code == 200
    assert response.context["form"].initial["is_active"] is False
    assert not DigestSubscription.objects.exists()


def test_the_digest_is_switched_on_then_off(world, clients):
    url = reverse("referrals:referent_settings")
    user = world.users["referent"]
    response = clients["referent"].post(url, {"is_active": "on"})
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=user).is_active
    assert clients["referent"].get(url).context["form"].initial["is_active"] is True
    clients["referent"].post(url, {})
    assert not DigestSubscription.objects.get(user=user).is_active
    assert DigestSubscription.objects.count() == 1


def test_the_preferences_are_in_the_referents_navigation_only(world, clients):
    link = f'href="{reverse("referrals:referent_settings")}"'
    for key in ("referent", "lead_referent"):
        html = clients[key].get(reverse("accounts:home")).content.decode()
        nav = html[html.index('aria-label="Navigation principale"') :]
        assert link in nav and "Mes préférences" in nav, key
    for key in ("staff_a", "relay_operator", "admin"):
        assert link not in clients[key].get(reverse("accounts:home")).content.decode(), key


# --- Privacy notice ----------------------------------------------------------------------------


def test_the_privacy_notice_is_public_and_plain(world, clients):
    response = clients["anonymous"].get(reverse("referrals:privacy_notice"))
    assert response.status_code == 200
    content = response.content.decode()
    for words in ["année de naissance", "18 mois", "2 ans", "corriger", "effacer", "copie"]:
        assert words in content
