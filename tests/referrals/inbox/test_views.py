"""The reception point's referral inbox: list, search, detail and the three decisions."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.privacy.models import AuditAction, AuditEvent
from solidarnum.referrals import services
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.inbox.views import beneficiary_url
from solidarnum.referrals.models import Referral, RefusalReason
from tests.conftest import make_structure
from tests.pages import count_queries, messages_of
from tests.referrals.factories import make_referral


def url(name: str, referral: Referral) -> str:
    return reverse(name, kwargs={"reference": referral.reference})


def results_block(response) -> str:
    """What htmx swaps in place."""
    html = response.content.decode()
    start = html.index('<div id="results"')
    return html[start : html.index("</table>", start)]


def results(response) -> str:
    """The rows only (the column headers repeat the query in their sort links)."""
    block = results_block(response)
    return block[block.index("<tbody") :]


def make_site_b_referral(world, **extra) -> Referral:
    return make_referral(
        world, partner_structure=world.structure_b, reception_point=world.site_b, **extra
    )


# --- Access -----------------------------------------------------------------------------------

DECISION_VIEWS = [
    ("referrals:referral_detail", "get"),
    ("referrals:referral_start_review", "post"),
    ("referrals:referral_validate", "get"),
    ("referrals:referral_validate", "post"),
    ("referrals:referral_refuse", "get"),
    ("referrals:referral_refuse", "post"),
]


@pytest.mark.parametrize(("name", "method"), DECISION_VIEWS)
def test_anonymous_people_are_sent_to_log_in(world, clients, name, method):
    referral = make_referral(world)
    response = getattr(clients["anonymous"], method)(url(name, referral))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "method"), DECISION_VIEWS)
@pytest.mark.parametrize("role", ["volunteer_a", "referent", "lead_referent", "admin"])
def test_other_roles_are_refused(world, clients, name, method, role):
    referral = make_referral(world)
    response = getattr(clients[role], method)(url(name, referral))
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.OPEN


@pytest.mark.parametrize(("name", "method"), DECISION_VIEWS)
def test_another_sites_referral_is_not_found(world, clients, name, method):
    referral = make_referral(world)
    response = getattr(clients["staff_b"], method)(url(name, referral), {"target": "new"})
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.OPEN
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_the_inbox_is_for_site_teams(world, clients):
    assert clients["anonymous"].get(reverse("referrals:referral_inbox")).status_code == 302
    assert clients["volunteer_a"].get(reverse("referrals:referral_inbox")).status_code == 403
    assert clients["referent"].get(reverse("referrals:referral_inbox")).status_code == 403
    assert clients["manager_a"].get(reverse("referrals:referral_inbox")).status_code == 200


# --- The inbox --------------------------------------------------------------------------------


def test_inbox_shows_the_sites_pending_referrals_by_default(world, clients):
    open_one = make_referral(world)
    reviewed = make_referral(world, first_name="Binta", phone="+33611111111")
    services.start_review(acting_user=world.users["staff_a"], referral=reviewed)
    validated = make_referral(world, first_name="Chloé", phone="+33622222222")
    services.validate_referral(acting_user=world.users["staff_a"], referral=validated)
    elsewhere = make_site_b_referral(world, first_name="Djibril", phone="+33633333333")

    page = results(clients["staff_a"].get(reverse("referrals:referral_inbox")))
    assert open_one.reference in page and reviewed.reference in page
    assert validated.reference not in page
    assert elsewhere.reference not in page

    every = results(clients["staff_a"].get(reverse("referrals:referral_inbox"), {"status": "all"}))
    assert validated.reference in every and elsewhere.reference not in every
    only = results(
        clients["staff_a"].get(reverse("referrals:referral_inbox"), {"status": "validated"})
    )
    assert validated.reference in only and open_one.reference not in only


def test_inbox_filters_by_structure_and_date(world, clients):
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        old = make_referral(world)
    relayed = make_referral(world, partner_structure=world.relay_a, phone="+33644444444")
    inbox = reverse("referrals:referral_inbox")

    by_structure = results(clients["staff_a"].get(inbox, {"partner_structure": world.relay_a.pk}))
    assert relayed.reference in by_structure and old.reference not in by_structure

    today = timezone.localdate()
    recent = results(clients["staff_a"].get(inbox, {"since": today - timedelta(days=1)}))
    assert relayed.reference in recent and old.reference not in recent
    older = results(clients["staff_a"].get(inbox, {"until": today - timedelta(days=10)}))
    assert old.reference in older and relayed.reference not in older


def test_structure_filter_suggests_the_sites_structures_only(world, clients):
    suggest = reverse("referrals:inbox_structure_suggestions")
    mine = (
        clients["staff_a"].get(suggest, {"partner_structure_text": "ccas paris"}).content.decode()
    )
    assert "CCAS de Paris 19e" in mine and 'role="option"' in mine
    assert "1 résultat" in mine  # said in the field's status line
    other = clients["staff_a"].get(suggest, {"partner_structure_text": "Créteil"}).content.decode()
    assert "EDS de Créteil" not in other and "Aucun résultat." in other
    # Site B's staff does not find site A's structures either.
    theirs = clients["staff_b"].get(suggest, {"partner_structure_text": "CCAS"}).content.decode()
    assert "CCAS de Paris 19e" not in theirs


def test_structure_filter_is_a_text_field_not_a_select_of_every_structure(world, clients):
    page = clients["staff_a"].get(reverse("referrals:referral_inbox")).content.decode()
    assert 'name="partner_structure_text"' in page and 'role="combobox"' in page
    assert "CCAS de Paris 19e" not in page  # no option listing the structures


def test_structure_filter_works_without_javascript_from_the_typed_name(world, clients):
    relayed = make_referral(world, partner_structure=world.relay_a, phone="+33644444444")
    other = make_referral(world)
    inbox = reverse("referrals:referral_inbox")
    typed = world.relay_a.name.upper()
    found = results(clients["staff_a"].get(inbox, {"partner_structure_text": typed}))
    assert relayed.reference in found and other.reference not in found
    # A text matching nothing says so (a filter error), and saves nothing of course.
    response = clients["staff_a"].get(inbox, {"partner_structure_text": "zzz inconnue"})
    assert response.status_code == 200
    assert "Aucun résultat pour « zzz inconnue »" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"partner_structure_text": "a" * 5000},
        {"partner_structure_text": "CC\x00AS"},
        {"partner_structure_text": "%_'\"; --", "for": "<script>"},
        {"for": "x" * 500},
        {},
    ],
)
def test_structure_suggestions_never_fail_on_odd_input(world, clients, params):
    response = clients["staff_a"].get(reverse("referrals:inbox_structure_suggestions"), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_structure_suggestions_cost_the_same_for_few_or_many_structures(world, clients):
    suggest = reverse("referrals:inbox_structure_suggestions")
    few = count_queries(clients["staff_a"], suggest, {"partner_structure_text": "Structure"})
    for i in range(30):
        make_structure(f"Structure {i:02d}", world.site_a, seed=900 + i)
    many = count_queries(clients["staff_a"], suggest, {"partner_structure_text": "Structure"})
    assert few == many
    html = clients["staff_a"].get(suggest, {"partner_structure_text": "Structure"}).content
    assert html.decode().count('role="option"') == 20  # at most 20, and told there are more
    assert "Plus de 20 résultats" in html.decode()


@pytest.mark.parametrize(
    "query", ["{ref}", "{ref_lower}", "DIALLO awa", "awa diallo", "Diallo", "06 12 34 56 78"]
)
def test_search_finds_a_referral_by_code_name_or_phone(world, clients, query):
    awa = make_referral(world)
    other = make_referral(world, first_name="Élodie", last_name="Martin", phone="+33655555555")
    q = query.format(ref=awa.reference, ref_lower=awa.reference.lower())
    page = results(clients["staff_a"].get(reverse("referrals:referral_inbox"), {"q": q}))
    assert awa.reference in page
    assert other.reference not in page


def test_search_ignores_accents_and_case(world, clients):
    elodie = make_referral(world, first_name="Élodie", last_name="N'Guessan", phone="+33655555555")
    for query in ["elodie n'guessan", "N'GUESSAN Élodie", "guessan"]:
        page = results(clients["staff_a"].get(reverse("referrals:referral_inbox"), {"q": query}))
        assert elodie.reference in page, query


def test_search_does_not_reach_another_sites_referrals(world, clients):
    elsewhere = make_site_b_referral(world)
    page = results(
        clients["staff_a"].get(reverse("referrals:referral_inbox"), {"q": elsewhere.reference})
    )
    assert elsewhere.reference not in page


def test_htmx_filter_answer_holds_the_same_rows_as_the_full_page(world, clients):
    make_referral(world)
    params = {"q": "diallo"}
    full = clients["staff_a"].get(reverse("referrals:referral_inbox"), params)
    swapped = clients["staff_a"].get(
        reverse("referrals:referral_inbox"), params, headers={"HX-Request": "true"}
    )
    assert results_block(full) == results_block(swapped)
    assert 'hx-select="#results"' in full.content.decode()


@pytest.mark.parametrize(("days", "late"), [(9, False), (10, True)])
def test_referrals_waiting_too_long_are_highlighted(world, clients, settings, days, late):
    settings.REFERRAL_REMINDER_DAYS = 10
    with time_machine.travel(timezone.now() - timedelta(days=days, minutes=1)):
        make_referral(world)
    page = results(clients["staff_a"].get(reverse("referrals:referral_inbox")))
    assert f"{days} jours" in page
    assert ("badge-late" in page) is late


def test_inbox_query_count_does_not_grow_with_rows(world, clients):
    def count() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert clients["staff_a"].get(reverse("referrals:referral_inbox")).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    structures = [world.structure_a, world.relay_a]
    for i in range(3):
        make_referral(world, partner_structure=structures[i % 2], phone=f"+336000000{i:02d}")
    few = count()
    for i in range(3, 20):
        make_referral(world, partner_structure=structures[i % 2], phone=f"+336000000{i:02d}")
    many = count()
    assert len(few) == len(many)
    # LazyPaginator: no COUNT(*) over the referrals.
    assert not [sql for sql in many if "COUNT(" in sql.upper() and "referrals_referral" in sql]


def test_the_inbox_is_read_only(world, clients):
    make_referral(world)
    events = AuditEvent.objects.count()
    clients["staff_a"].get(reverse("referrals:referral_inbox"))
    assert AuditEvent.objects.count() == events


# --- Detail -----------------------------------------------------------------------------------


def test_detail_shows_the_voucher_and_records_the_view(world, clients):
    referral = make_referral(world, contact_notes="Passer par le CHRS")
    before = Referral.objects.values().get(pk=referral.pk)
    # The code may be typed in lower case.
    detail = reverse("referrals:referral_detail", kwargs={"reference": referral.reference.lower()})
    response = clients["staff_a"].get(detail)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        referral.reference,
        "Awa Diallo",
        "1985",
        "Un ordinateur pour les démarches",
        "Démarches en ligne impossibles sans matériel.",
        "Passer par le CHRS",
        "CCAS de Paris 19e",
        "Passer à l'étude",
    ]:
        assert text in html, text
    assert Referral.objects.values().get(pk=referral.pk) == before
    view = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert view.object_type == "referrals.referral" and view.object_id == str(referral.pk)
    assert view.actor == world.users["staff_a"]


def test_detail_of_a_decided_referral_shows_the_decision_not_the_actions(world, clients):
    referral = make_referral(world)
    reason = RefusalReason.objects.get(code="hors-territoire")
    services.refuse_referral(
        acting_user=world.users["staff_a"], referral=referral, reason=reason, comment="Lille"
    )
    html = clients["manager_a"].get(url("referrals:referral_detail", referral)).content.decode()
    assert reason.label.replace("'", "&#x27;") in html and "Lille" in html
    assert url("referrals:referral_validate", referral) not in html


@pytest.mark.parametrize("decided", [False, True])
def test_detail_query_count_is_bounded(world, clients, decided, django_assert_max_num_queries):
    referral = make_referral(world)
    if decided:
        services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    # session, user, scope, referral (+ who decided), audit row, messages
    with django_assert_max_num_queries(8):
        assert clients["staff_a"].get(url("referrals:referral_detail", referral)).status_code == 200


# --- Start review -----------------------------------------------------------------------------


def test_start_review_moves_an_open_referral_under_review(world, clients):
    referral = make_referral(world)
    response = clients["staff_a"].post(url("referrals:referral_start_review", referral))
    assert response.status_code == 302
    assert response["Location"] == url("referrals:referral_detail", referral)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.UNDER_REVIEW


def test_start_review_twice_says_why_and_changes_nothing(world, clients):
    referral = make_referral(world)
    clients["staff_a"].post(url("referrals:referral_start_review", referral))
    updated = Referral.objects.get(pk=referral.pk).updated_at
    response = clients["staff_a"].post(url("referrals:referral_start_review", referral))
    assert response.status_code == 400
    assert "Seul un bon « ouvert » peut passer « à l'étude »." in messages_of(response)
    assert Referral.objects.get(pk=referral.pk).updated_at == updated


def test_start_review_is_not_reachable_by_get(world, clients):
    referral = make_referral(world)
    assert (
        clients["staff_a"].get(url("referrals:referral_start_review", referral)).status_code == 405
    )
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.OPEN


# --- Validate ---------------------------------------------------------------------------------


def _existing_file(world, **extra) -> Beneficiary:
    first = make_referral(world, **extra)
    services.validate_referral(acting_user=world.users["staff_a"], referral=first)
    return Referral.objects.get(pk=first.pk).beneficiary


def test_validate_page_offers_the_possible_duplicates_of_the_site(world, clients):
    existing = _existing_file(world)
    elsewhere_ref = make_site_b_referral(world)
    services.validate_referral(acting_user=world.users["staff_b"], referral=elsewhere_ref)
    referral = make_referral(world)
    response = clients["staff_a"].get(url("referrals:referral_validate", referral))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Créer un nouveau dossier" in html
    assert "Rattacher au dossier de Awa Diallo (né·e en 1985)" in html
    assert str(existing.public_id) in html
    assert [b.pk for b in response.context["duplicates"]] == [existing.pk]


def test_validate_creates_a_new_file_and_opens_it(
    world, clients, django_capture_on_commit_callbacks
):
    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["staff_a"].post(
            url("referrals:referral_validate", referral), {"target": "new"}
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VALIDATED
    assert Beneficiary.objects.get().pk == referral.beneficiary_id
    assert response.status_code == 302
    assert response["Location"] == (
        beneficiary_url(referral.beneficiary) or url("referrals:referral_detail", referral)
    )
    assert response["Location"] == reverse(
        "beneficiaries:beneficiary_detail", kwargs={"public_id": referral.beneficiary.public_id}
    )
    assert "Validée" in mail.outbox[0].subject


def test_validate_links_the_referral_to_the_chosen_file(world, clients):
    existing = _existing_file(world)
    referral = make_referral(world)
    response = clients["staff_a"].post(
        url("referrals:referral_validate", referral), {"target": str(existing.public_id)}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.beneficiary_id == existing.pk
    assert Beneficiary.objects.count() == 1


def test_validate_refuses_another_sites_file(world, clients):
    other = make_site_b_referral(world)
    services.validate_referral(acting_user=world.users["staff_b"], referral=other)
    foreign = Referral.objects.get(pk=other.pk).beneficiary
    referral = make_referral(world)
    response = clients["staff_a"].post(
        url("referrals:referral_validate", referral), {"target": str(foreign.public_id)}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.OPEN
    assert Beneficiary.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choisissez : créer un nouveau dossier ou rattacher la personne"),
        ({"target": "pas-un-dossier"}, "Ce dossier n&#x27;existe pas."),
    ],
)
def test_validate_without_a_valid_choice_saves_nothing(world, clients, data, error):
    referral = make_referral(world)
    response = clients["staff_a"].post(url("referrals:referral_validate", referral), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert "Le formulaire contient des erreurs : rien n'a été enregistré." in messages_of(response)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.OPEN
    assert not Beneficiary.objects.exists()


def test_validating_an_already_validated_referral_says_so(world, clients):
    referral = make_referral(world)
    clients["staff_a"].post(url("referrals:referral_validate", referral), {"target": "new"})
    response = clients["staff_a"].post(
        url("referrals:referral_validate", referral), {"target": "new"}
    )
    assert response.status_code == 400
    assert "Ce bon d'orientation est déjà « Validée » : il ne peut plus changer." in messages_of(
        response
    )
    assert Beneficiary.objects.count() == 1
    # And the page no longer offers the choice.
    page = clients["staff_a"].get(url("referrals:referral_validate", referral)).content.decode()
    assert "Créer un nouveau dossier" not in page


# --- Refuse -----------------------------------------------------------------------------------


def test_refuse_page_offers_only_active_reasons(world, clients):
    RefusalReason.objects.filter(code="pas-de-place").update(is_active=False)
    referral = make_referral(world)
    html = clients["staff_a"].get(url("referrals:referral_refuse", referral)).content.decode()
    assert "La personne est déjà autonome" in html
    assert "Plus de place disponible" not in html


def test_refuse_with_a_reason_tells_the_referent(
    world, clients, django_capture_on_commit_callbacks
):
    referral = make_referral(world)
    reason = RefusalReason.objects.get(code="hors-territoire")
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["staff_a"].post(
            url("referrals:referral_refuse", referral),
            {"reason": reason.pk, "comment": " Habite à Lille "},
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED
    assert referral.refusal_reason == reason and referral.refusal_comment == "Habite à Lille"
    assert referral.decided_by == world.users["staff_a"]
    assert "Habite à Lille" in mail.outbox[0].body


def test_refuse_with_other_reason_and_a_comment(world, clients):
    referral = make_referral(world)
    other = RefusalReason.objects.get(code="autre")
    response = clients["staff_a"].post(
        url("referrals:referral_refuse", referral), {"reason": other.pk, "comment": "Déménage"}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.REFUSED


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (dict, "Choisissez un motif de refus."),
        (
            lambda: {"reason": RefusalReason.objects.get(code="autre").pk, "comment": "  "},
            "Précisez le motif dans le commentaire.",
        ),
        (
            lambda: {"reason": RefusalReason.objects.get(code="pas-de-place").pk},
            "Ce motif de refus n&#x27;est pas proposé.",
        ),
        (lambda: {"reason": "999999"}, "Ce motif de refus n&#x27;est pas proposé."),
        (lambda: {"reason": "abc"}, "Ce motif de refus n&#x27;est pas proposé."),
    ],
    ids=["no-reason", "other-without-comment", "hidden-reason", "unknown-reason", "not-an-id"],
)
def test_refuse_with_bad_input_saves_nothing(world, clients, data, error):
    RefusalReason.objects.filter(code="pas-de-place").update(is_active=False)
    referral = make_referral(world)
    events = AuditEvent.objects.count()
    response = clients["staff_a"].post(url("referrals:referral_refuse", referral), data())
    assert response.status_code == 400
    assert error in response.content.decode()
    assert "Le formulaire contient des erreurs : rien n'a été enregistré." in messages_of(response)
    after = Referral.objects.get(pk=referral.pk)
    assert after.status == ReferralStatus.OPEN and after.refusal_reason_id is None
    assert AuditEvent.objects.count() == events


def test_refusing_a_validated_referral_says_so(world, clients):
    referral = make_referral(world)
    services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    reason = RefusalReason.objects.get(code="injoignable")
    response = clients["staff_a"].post(
        url("referrals:referral_refuse", referral), {"reason": reason.pk}
    )
    assert response.status_code == 400
    assert "Ce bon d'orientation est déjà « Validée » : il ne peut plus changer." in messages_of(
        response
    )
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.VALIDATED


def test_waiting_time_is_shown_only_while_waiting_then_the_decision_in_plain_words(world, clients):
    created = timezone.localtime() - timedelta(days=178)
    created = created.replace(hour=9, minute=0)  # decisions below fall on the days counted
    with time_machine.travel(created):
        validated = make_referral(world)
        refused = make_referral(world, first_name="Binta", phone="+33611111111")
        expired = make_referral(world, first_name="Chloé", phone="+33622222222")
    with time_machine.travel(created + timedelta(days=3, hours=2)):
        services.validate_referral(acting_user=world.users["staff_a"], referral=validated)
    with time_machine.travel(created + timedelta(hours=2)):
        services.refuse_referral(
            acting_user=world.users["staff_a"],
            referral=refused,
            reason=RefusalReason.objects.get(code="hors-territoire"),
        )
    with time_machine.travel(created + timedelta(days=30, hours=3)):
        services.expire_referral(referral=expired)
    page = results(clients["staff_a"].get(reverse("referrals:referral_inbox"), {"status": "all"}))
    assert "178 jours" not in page
    assert "badge-late" not in page
    day = timezone.localtime(created).date()
    validated_on = (day + timedelta(days=3)).strftime("%d/%m/%Y")
    expired_on = (day + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"validée le {validated_on}, 3 jours après l&#x27;envoi" in page
    assert f"refusée le {day:%d/%m/%Y}, le jour même" in page
    assert f"expirée le {expired_on}, sans réponse" in page


def test_the_inbox_lists_needs_in_the_referents_order(world, clients):
    referral = make_referral(world, needs_connect=True, needs_priority=["connect", "equip"])
    page = results(clients["staff_a"].get(reverse("referrals:referral_inbox")))
    assert "Connecter, Équiper" in page
    detail = clients["staff_a"].get(url("referrals:referral_detail", referral)).content.decode()
    needs = detail[detail.index('id="needs-title"') :]
    assert needs.index("Connecter") < needs.index("Équiper")
