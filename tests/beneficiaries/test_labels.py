"""Plain names for the codes stored on a person: the same names on every page."""

from html import unescape

from django.urls import reverse

from solidarnum.beneficiaries.labels import language_names
from solidarnum.referrals.services import validate_referral
from tests.referrals.factories import make_referral


def test_language_codes_get_their_french_name():
    assert language_names(["fr", "ar", "fa", "other"]) == [
        "Français",
        "Arabe",
        "Persan (farsi, dari)",
        "Autre langue",
    ]


def test_a_code_outside_the_form_list_still_gets_a_name():
    # The API accepts any ISO 639 code: Bambara, Wolof.
    assert language_names(["bm", "wo"]) == ["Bambara", "Wolof"]


def test_an_unknown_code_is_shown_as_it_is():
    assert language_names(["qqq"]) == ["qqq"]


def test_every_page_names_the_languages_the_same_way(world, clients):
    referral = make_referral(world, languages=["fr", "ar", "bm"])
    inbox = clients["staff_a"].get(reverse("referrals:referral_detail", args=[referral.reference]))
    follow_up = clients["lead_referent"].get(
        reverse("referrals:referent_referral_detail", args=[referral.reference])
    )
    validate_referral(acting_user=world.users["staff_a"], referral=referral)
    referral.refresh_from_db()
    file = clients["staff_a"].get(
        reverse("beneficiaries:beneficiary_detail", args=[referral.beneficiary.public_id])
    )
    for response in (inbox, follow_up, file):
        html = unescape(response.content.decode())
        assert "Français, Arabe, Bambara" in html, html
        assert ": fr" not in html and ">fr<" not in html and ">fr, " not in html


def test_needs_follow_the_referents_order_then_the_usual_one():
    from types import SimpleNamespace

    from solidarnum.beneficiaries.labels import ordered_needs

    record = SimpleNamespace(
        needs_equip=True, needs_connect=True, needs_support=True, needs_priority=["connect"]
    )
    assert [need.value for need in ordered_needs(record)] == ["connect", "equip", "support"]
    record.needs_connect = False  # an order naming a need no longer ticked is ignored
    assert [need.value for need in ordered_needs(record)] == ["equip", "support"]
    record.needs_priority = []
    assert [str(need.label) for need in ordered_needs(record)] == ["Équiper", "Accompagner"]


def test_the_file_shows_the_needs_in_the_referents_order(world, clients):
    referral = make_referral(world, needs_connect=True, needs_priority=["connect", "equip"])
    referral = validate_referral(acting_user=world.users["staff_a"], referral=referral)
    assert referral.beneficiary.needs_priority == ["connect", "equip"]
    html = (
        clients["staff_a"]
        .get(reverse("beneficiaries:beneficiary_detail", args=[referral.beneficiary.public_id]))
        .content.decode()
    )
    needs = html[html.index("<dt>Besoins</dt>") :]
    assert needs.index("Connecter") < needs.index("Équiper")
    listing = clients["staff_a"].get(reverse("beneficiaries:beneficiary_list")).content.decode()
    rows = listing[listing.index("<tbody") :]
    assert rows.index(">Connecter<") < rows.index(">Équiper<")


def test_a_new_referral_puts_its_order_first_on_an_existing_file(world):
    first = validate_referral(
        acting_user=world.users["staff_a"],
        referral=make_referral(world, needs_support=True, needs_priority=["equip", "support"]),
    )
    again = make_referral(world, needs_equip=False, needs_equip_detail="", needs_connect=True)
    again = validate_referral(
        acting_user=world.users["staff_a"], referral=again, existing=first.beneficiary
    )
    assert again.beneficiary.needs_priority == ["connect", "equip", "support"]
