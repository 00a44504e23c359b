"""End-to-end journeys of a referral in Chromium: a référent writes a bon d'orientation and
downloads the PDF voucher, the reception point validates it and runs the digital diagnostic, the
référent follows the status; and a refused referral, with its reason, as the référent reads it."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.referrals.models import Referral, RefusalReason
from solidarnum.referrals.reasons import ensure_default_refusal_reasons
from tests.browser.conftest import ARTIFACTS, field_label, log_in, log_out
from tests.conftest import World
from tests.referrals.factories import make_referral

REFERENCE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")

# One answer per diagnostic question, in the order of the form: the device basics alone, some
# help, a few "Non" (a minority): the profile computed is "Débutant ou intermédiaire".
DIAGNOSTIC_ANSWERS = {
    "Allumer et éteindre un ordinateur ou un smartphone": "Seul·e",
    "Utiliser la souris et le clavier d'un ordinateur": "Avec aide",
    "Déverrouiller et utiliser un smartphone": "Seul·e",
    "Lire et envoyer un SMS": "Seul·e",
    "Créer une adresse e-mail": "Non",
    "Lire et envoyer un e-mail": "Avec aide",
    "Aller sur internet et chercher une information": "Seul·e",
    "Remplir un formulaire en ligne": "Avec aide",
    "Créer un mot de passe solide et le garder secret": "Non",
    "Reconnaître une arnaque et protéger ses données personnelles": "Avec aide",
    "Installer une application sur un smartphone": "Seul·e",
    "Passer un appel vidéo": "Seul·e",
    "Envoyer un document en pièce jointe (photo, justificatif)": "Avec aide",
    "Écrire un document simple (lettre, CV)": "Non",
    "Utiliser un compte en ligne d'administration (CAF, France Travail, impôts)": "Non",
}


def seed_refusal_reasons() -> None:
    """The reasons come from a data migration, which transactional tests flush after each test:
    put them back as the migration writes them."""
    ensure_default_refusal_reasons()


def open_from_inbox(
    page: Page, reference: str, screenshot: Callable[[Page, str], Any] | None = None
) -> None:
    """Staff find a referral by its code in "Orientations reçues" and open it."""
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Orientations reçues"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Orientations reçues")).to_be_visible()
    search = page.get_by_role("searchbox", name=field_label("Code, nom ou téléphone"))
    search.fill(reference)
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]q={reference}"))
    results = page.locator("#results")
    expect(results.get_by_role("row")).to_have_count(2)  # header + the referral
    if screenshot is not None:
        screenshot(page, "inbox-search")
    results.get_by_role("link", name=reference).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile(f"Bon d'orientation {reference}"))
    ).to_be_visible()


def test_referent_writes_a_bon_staff_validate_and_diagnose_referent_sees_it_validated(
    live_world: World,
    page: Page,
    screenshot: Callable[[Page, str], Any],
    request: pytest.FixtureRequest,
) -> None:
    referent = live_world.users["lead_referent"]
    staff = live_world.users["staff_a"]
    assert referent is not None and staff is not None

    # The référent writes a bon d'orientation from the main navigation.
    log_in(page, referent.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Nouveau bon d'orientation"
    ).click()
    expect(page).to_have_url(re.compile(r"/orientations/nouveau/$"))
    expect(page.get_by_role("heading", level=1, name="Nouveau bon d'orientation")).to_be_visible()
    expect(page.get_by_text("Orientation écrite au nom de : CCAS de Paris 19e.")).to_be_visible()

    page.get_by_label(field_label("Prénom")).fill("Mariam")
    page.get_by_label(field_label("Nom")).fill("Koné")
    page.get_by_label(field_label("Année de naissance")).fill("1979")
    page.get_by_label(field_label("Téléphone")).fill("06 12 34 56 78")
    page.get_by_label(field_label("Logement")).select_option(label="Hébergé·e")
    page.get_by_role("group", name=field_label("Public")).get_by_role(
        "checkbox", name="Demandeur·se d'emploi"
    ).check()
    page.get_by_role("checkbox", name=re.compile("^Équiper")).check()
    page.get_by_label(field_label("Précision sur l'équipement (facultatif)")).fill(
        "Un ordinateur portable pour chercher un emploi"
    )
    # The structure's usual reception point is proposed, and kept.
    expect(page.get_by_label(field_label("Point d'accueil"))).to_have_value(live_world.site_a.name)
    expect(page.locator('input[type="hidden"][name="reception_point"]')).to_have_value(
        str(live_world.site_a.pk)
    )
    page.get_by_label(field_label("Pourquoi orientez-vous cette personne ?")).fill(
        "Doit postuler en ligne et actualiser sa situation sur France Travail."
    )
    page.get_by_role(
        "checkbox", name=re.compile("La personne a été informée de l'utilisation de ses données")
    ).check()
    screenshot(page, "1-referral-form")
    page.get_by_role("button", name="Enregistrer le bon d'orientation").click()

    # The follow-up page: the code to give at the reception point.
    expect(page).to_have_url(re.compile(r"/orientations/suivi/[0-9A-Z]{6}/$"))
    code_text = page.get_by_text(re.compile(r"Code à donner à l'accueil"))
    expect(code_text).to_be_visible()
    reference = code_text.inner_text().rsplit(":", 1)[1].strip()
    assert REFERENCE.match(reference), reference
    assert page.url.endswith(f"/orientations/suivi/{reference}/")
    expect(page.get_by_text(f"Le bon d'orientation {reference} est enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Bon d'orientation {reference}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ouverte")
    expect(page.get_by_text("Mariam présente ce bon à l'accueil de Paris 19e.")).to_be_visible()
    referral = Referral.objects.get(reference=reference)
    assert referral.full_name == "Mariam Koné"
    assert referral.phone.as_e164 == "+33612345678"
    assert referral.needs_equip and not referral.needs_connect and not referral.needs_support
    assert referral.reception_point == live_world.site_a
    assert referral.publics == ["job_seeker"]
    assert referral.consent_given_at is not None
    screenshot(page, "2-referral-follow-up")

    # The PDF voucher downloads.
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le bon (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"bon-orientation-{reference}.pdf"
    assert download.path().read_bytes().startswith(b"%PDF")
    download.save_as(ARTIFACTS / f"{request.node.name}-voucher.pdf")  # to look at
    response = page.request.get(f"/orientations/suivi/{reference}/bon.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # Staff of Paris 19e find it in their inbox by its code, and validate it.
    log_out(page)
    log_in(page, staff.email)
    open_from_inbox(page, reference, screenshot)
    expect(page.get_by_text("Mariam Koné").first).to_be_visible()
    screenshot(page, "3-inbox-detail")
    page.get_by_role("link", name="Valider", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name=f"Valider le bon d'orientation {reference}")
    ).to_be_visible()
    page.get_by_role("radio", name="Créer un nouveau dossier").check()
    screenshot(page, "4-validate")
    page.get_by_role("button", name="Valider l'orientation").click()

    # The person's file is open.
    expect(page.get_by_role("heading", level=1, name="Mariam Koné")).to_be_visible()
    expect(
        page.get_by_text("Orientation validée : le dossier de Mariam Koné est ouvert.")
    ).to_be_visible()
    beneficiary = Beneficiary.objects.get(referrals__reference=reference)
    expect(page).to_have_url(re.compile(rf"/beneficiaires/{beneficiary.public_id}/$"))
    facts = page.get_by_role("region", name="En bref")
    expect(facts).to_contain_text("pas encore de diagnostic")

    # The digital diagnostic: every question answered, then equipment, connection, spending.
    page.get_by_role("link", name="Faire un diagnostic").click()
    expect(
        page.get_by_role("heading", level=1, name="Diagnostic numérique de Mariam Koné")
    ).to_be_visible()
    for question, answer in DIAGNOSTIC_ANSWERS.items():
        group = page.get_by_role("group", name=re.compile(rf"^\d+\. {re.escape(question)} "))
        group.get_by_role("radio", name=answer, exact=True).check()
    expect(page.get_by_role("radio", checked=True)).to_have_count(len(DIAGNOSTIC_ANSWERS))
    page.get_by_role("group", name=field_label("Matériel dont la personne dispose")).get_by_role(
        "checkbox", name="Smartphone"
    ).check()
    page.get_by_role("group", name=field_label("Connexion à internet")).get_by_role(
        "radio", name="Carte prépayée"
    ).check()
    page.get_by_label(field_label("Dépenses de téléphone et internet par mois (en euros)")).fill(
        "25,50"
    )
    screenshot(page, "5-diagnostic")
    page.get_by_role("button", name="Enregistrer le diagnostic").click()

    # Back on the file: the computed profile and the suggested services.
    expect(page.get_by_role("heading", level=1, name="Mariam Koné")).to_be_visible()
    expect(page.get_by_text(re.compile("Diagnostic enregistré. Profil : Débutant"))).to_be_visible()
    expect(facts).to_contain_text("Débutant ou intermédiaire")
    diagnostics = page.get_by_role("table")
    expect(diagnostics).to_contain_text("Débutant ou intermédiaire")
    expect(diagnostics).to_contain_text("6 sur 15")
    expect(diagnostics).to_contain_text("Connecter : recharge solidaire")
    expect(diagnostics).to_contain_text("Accompagner : parcours d'initiation 12 h")
    beneficiary.refresh_from_db()
    assert beneficiary.profile == "beginner"
    screenshot(page, "6-file-with-profile")

    # The référent sees the referral "Validée" in "Mes orientations".
    log_out(page)
    log_in(page, referent.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes orientations"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Suivi de mes orientations")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Validée")
    expect(row).to_contain_text("Mariam Koné")
    expect(row).to_contain_text("Paris 19e")
    screenshot(page, "7-referent-list")


def test_staff_refuse_a_referral_and_the_referent_reads_the_reason(
    live_world: World, page: Page, screenshot: Callable[[Page, str], Any]
) -> None:
    seed_refusal_reasons()
    referral = make_referral(live_world)
    reference = referral.reference
    staff = live_world.users["staff_a"]
    referent = live_world.users["lead_referent"]
    assert staff is not None and referent is not None

    log_in(page, staff.email)
    open_from_inbox(page, reference)
    page.get_by_role("link", name="Refuser", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name=f"Refuser le bon d'orientation {reference}")
    ).to_be_visible()
    reasons = page.get_by_role("group", name=field_label("Motif du refus"))
    expect(reasons.get_by_role("radio")).to_have_count(len(RefusalReason.objects.all()))

    # "Autre motif" without a comment is refused, in French, next to the comment.
    other = reasons.get_by_role("radio", name="Autre motif (précisé en commentaire)")
    other.check()
    page.get_by_role("button", name="Refuser l'orientation").click()
    expect(page.get_by_text("Précisez le motif dans le commentaire.")).to_be_visible()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    comment = page.get_by_label(field_label("Commentaire pour le référent"))
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(other).to_be_checked()
    screenshot(page, "1-refuse-error")
    referral.refresh_from_db()
    assert referral.status == "open"

    # A listed reason, with a comment for the référent.
    reasons.get_by_role(
        "radio", name="La personne habite hors du territoire du point d'accueil"
    ).check()
    comment.fill("Domiciliée à Montreuil : voir le point d'accueil de Montreuil.")
    page.get_by_role("button", name="Refuser l'orientation").click()
    expect(
        page.get_by_text("Orientation refusée : le référent en est informé par e-mail.")
    ).to_be_visible()
    decision = page.get_by_role("region", name="Décision")
    expect(decision).to_contain_text("Refusée")
    expect(decision).to_contain_text("La personne habite hors du territoire du point d'accueil")
    screenshot(page, "2-inbox-refused")
    referral.refresh_from_db()
    assert referral.status == "refused"
    assert referral.refusal_reason is not None
    assert referral.refusal_reason.code == "hors-territoire"

    # The référent reads the status and the reason on the follow-up page.
    log_out(page)
    log_in(page, referent.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes orientations"
    ).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Refusée")
    expect(row).to_contain_text("La personne habite hors du territoire du point d'accueil")
    row.get_by_role("link", name=reference).click()
    expect(page).to_have_url(re.compile(rf"/orientations/suivi/{reference}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refusée")
    status = page.locator("section").filter(
        has=page.get_by_role("heading", name="Où en est l'orientation")
    )
    expect(status).to_contain_text("Refusée")
    expect(status).to_contain_text("Motif du refus")
    expect(status).to_contain_text("La personne habite hors du territoire du point d'accueil")
    expect(status).to_contain_text("Domiciliée à Montreuil")
    screenshot(page, "3-referent-refused")
