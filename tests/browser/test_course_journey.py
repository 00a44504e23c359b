"""A "Parcours Emploi" cohort of ten over two weeks: a half-day's attendance is taken on the
tablet, eight reach the threshold and get their attestation, the survey is answered on the
tablet, the file and the référent's follow-up show "Parcours terminé"."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from solidarnum.referrals.services import validate_referral
from solidarnum.support.courses import services
from solidarnum.support.models import Enrolment, SurveyAnswer
from tests.browser.conftest import TIMEOUT_MS, log_in, log_out
from tests.conftest import World
from tests.referrals.factories import make_referral
from tests.support.factories import enrol, make_cohort, make_person, make_template, scope_of_user


def test_a_job_seekers_cohort_reaches_its_attestations(
    live_world: World, new_context, screenshot
) -> None:
    tablet = new_context(viewport={"width": 1024, "height": 1366}).new_page()
    referral = validate_referral(
        acting_user=live_world.users["staff_a"], referral=make_referral(live_world)
    )
    template = make_template("Parcours Emploi", sessions=8, minutes=240, kind="emploi")
    cohort = make_cohort(
        live_world, template=template, start=timezone.localdate() - timedelta(days=14)
    )
    people = [referral.beneficiary] + [make_person(live_world) for _ in range(9)]
    enrolments = [enrol(cohort, person) for person in people]
    sessions = list(cohort.sessions.order_by("starts_at"))
    scope = scope_of_user(live_world, "staff_a")
    for index, session in enumerate(sessions[:6]):
        services.take_attendance(
            acting_user=scope.user,
            scope=scope,
            session=session,
            marks=[
                services.Mark(e.pk, "absent" if (n >= 8 and index < 3) else "present")
                for n, e in enumerate(enrolments)
            ],
        )

    # The seventh half-day, on the tablet: everyone came; eight pass the threshold with it.
    log_in(tablet, "sarah.staff@example.org")
    tablet.goto(f"/accompagner/parcours/seances/{sessions[6].pk}/")
    for person in people:
        tablet.get_by_role("group", name=person.full_name).get_by_label("Présent·e").check()
    tablet.get_by_role("button", name="Enregistrer l'émargement").click()
    expect(tablet.get_by_text("Attestation de fin de parcours pour")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    screenshot(tablet, "attestations")
    assert Enrolment.objects.filter(cohort=cohort, attestation_at__isnull=False).count() == 8

    # The person gives their opinion on the tablet.
    row = tablet.get_by_role("row", name=referral.beneficiary.full_name)
    row.get_by_role("button", name="Avis (tablette)").click()
    tablet.get_by_label("Très content·e").check()
    for question in ("learnt", "clear", "again"):
        tablet.locator(f"input[name={question}][value=yes]").check()
    tablet.get_by_role("button", name="Envoyer").click()
    expect(tablet.get_by_text("Merci pour votre avis !")).to_be_visible(timeout=TIMEOUT_MS)
    assert SurveyAnswer.objects.get().smiley == 5

    # The file, then the référent's follow-up, show "Parcours terminé".
    tablet.goto(f"/beneficiaires/{referral.beneficiary.public_id}/")
    tablet.get_by_role("navigation", name="Parties du dossier").get_by_role(
        "link", name="Accompagnement"
    ).click()
    expect(tablet.get_by_text("Parcours terminé").first).to_be_visible(timeout=TIMEOUT_MS)
    log_out(tablet)
    log_in(tablet, "lea.lead@example.org")
    tablet.goto(f"/orientations/suivi/{referral.reference}/")
    expect(tablet.get_by_text("Parcours terminé").first).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(tablet, "referent")
