"""Reads of personal data that leave a row in the audit trail (ADR 0019).

Pages and API answers that show one object write `view`; files downloaded write `export`. A GET
writes nothing else, and a refused read (404) writes nothing at all.
"""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.equipment.enums import ErasureMethod, ErasureResult
from solidarnum.equipment.models import ErasureRecord
from solidarnum.privacy import audit
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.api import issue_token, token_client
from tests.conftest import client_for, make_user
from tests.equipment.factories import PDF_BYTES, make_device
from tests.referrals.factories import make_referral

REFERRAL = "referrals.referral"


class Trail:
    """The rows written after a mark (the trail cannot be emptied: it is append-only)."""

    def __init__(self) -> None:
        self.mark()

    def mark(self) -> None:
        self.after = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def __call__(self, **filters):
        return list(
            AuditEvent.objects.filter(id__gt=self.after, **filters)
            .order_by("id")
            .values_list("actor__email", "action", "object_type", "object_id")
        )


@pytest.fixture
def referral(world):
    return make_referral(world)


@pytest.fixture
def trail(world, referral):
    return Trail()


# --- The référent's follow-up --------------------------------------------------------------------


def test_a_referent_reading_a_referral_is_recorded(world, clients, referral, trail):
    url = reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
    assert clients["referent"].get(url).status_code == 200
    assert trail() == [("remi.referent@example.org", AuditAction.VIEW, REFERRAL, str(referral.pk))]


def test_a_referent_downloading_the_voucher_is_recorded_as_an_export(
    world, clients, referral, trail
):
    url = reverse("referrals:referral_voucher_pdf", kwargs={"reference": referral.reference})
    assert clients["referent"].get(url).status_code == 200
    assert trail() == [
        ("remi.referent@example.org", AuditAction.EXPORT, REFERRAL, str(referral.pk))
    ]


@pytest.mark.parametrize(
    "name", ["referrals:referent_referral_detail", "referrals:referral_voucher_pdf"]
)
def test_a_refused_read_writes_nothing(world, referral, trail, name):
    other = client_for(
        make_user("rita.other@example.org", Role.REFERENT, partner_structure=world.structure_b)
    )
    trail.mark()  # logging in is recorded too
    assert other.get(reverse(name, kwargs={"reference": referral.reference})).status_code == 404
    assert trail() == []


# --- The API -------------------------------------------------------------------------------------


@pytest.fixture
def api(world):
    _token, key = issue_token(world, "referent")
    return token_client(key)


def test_an_api_detail_read_is_recorded(world, api, referral, trail):
    trail.mark()
    assert api.get(f"/api/v1/referrals/{referral.reference}/").status_code == 200
    assert trail() == [("remi.referent@example.org", AuditAction.VIEW, REFERRAL, str(referral.pk))]


def test_an_api_read_of_another_structure_writes_nothing(world, api, trail):
    elsewhere = make_referral(
        world, partner_structure=world.structure_b, reception_point=world.site_b
    )
    trail.mark()
    assert api.get(f"/api/v1/referrals/{elsewhere.reference}/").status_code == 404
    assert api.get("/api/v1/referrals/NOPE42/").status_code == 404
    assert trail() == []


def test_an_api_list_records_each_listed_referral_once_per_window(world, api):
    trail = Trail()
    referrals = [make_referral(world, first_name=f"Awa{i}") for i in range(3)]
    trail.mark()
    assert api.get("/api/v1/referrals/", {"page_size": 2}).status_code == 200
    newest_two = {str(r.pk) for r in referrals[1:]}
    rows = trail()
    assert {row[3] for row in rows} == newest_two
    assert {row[:3] for row in rows} == {("remi.referent@example.org", AuditAction.VIEW, REFERRAL)}
    # The same person polling the same list again within the window adds nothing...
    assert api.get("/api/v1/referrals/", {"page_size": 2}).status_code == 200
    assert len(trail()) == 2
    # ...but a referral not read yet in the window is recorded.
    assert api.get("/api/v1/referrals/").status_code == 200
    assert {row[3] for row in trail()} == {str(r.pk) for r in referrals}
    assert len(trail()) == 3


def test_an_api_list_read_after_the_window_is_recorded_again(
    world, api, referral, trail, monkeypatch
):
    trail.mark()
    assert api.get("/api/v1/referrals/").status_code == 200
    monkeypatch.setattr(audit, "LIST_READ_WINDOW", timedelta(0))
    assert api.get("/api/v1/referrals/").status_code == 200
    assert len(trail(object_id=str(referral.pk))) == 2


def test_an_api_list_query_count_does_not_grow_with_rows(world, api, django_assert_max_num_queries):
    for i in range(30):
        make_referral(world, first_name=f"Awa{i}")
    trail = Trail()
    # Token, scope, page, milestones, already-read lookup, one INSERT for every new row.
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/referrals/", {"page_size": 30}).status_code == 200
    assert len(trail(action=AuditAction.VIEW)) == 30


# --- Equipment -----------------------------------------------------------------------------------


def test_an_erasure_certificate_download_is_recorded_as_an_export(world, clients):
    trail = Trail()
    device = make_device(world, erased=False)
    erasure = ErasureRecord.objects.create(
        device=device,
        method=ErasureMethod.OVERWRITE,
        tool="Blancco Drive Eraser",
        performed_on=date(2026, 9, 15),
        operator="Atelier Exemple",
        result=ErasureResult.SUCCESS,
        certificate=ContentFile(PDF_BYTES, name="certificat.pdf"),
    )
    url = reverse("equipment:erasure_certificate", kwargs={"pk": erasure.pk})
    trail.mark()
    response = clients["volunteer_a"].get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert trail() == [
        (
            "victor.volunteer@example.org",
            AuditAction.EXPORT,
            "equipment.erasurerecord",
            str(erasure.pk),
        )
    ]
    assert clients["staff_b"].get(url).status_code == 404
    assert len(trail()) == 1
