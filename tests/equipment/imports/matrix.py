"""Access-matrix rows for the batch pages (import, list, detail, bulk actions)."""

from typing import Any

from solidarnum.accounts.models import Membership
from solidarnum.equipment.enums import ImportJobState, ImportJobStep
from solidarnum.equipment.models import ImportBatch, ImportJob
from tests.equipment.factories import make_donation
from tests.matrix import ADMIN, WORKSHOP, expect


def batch_of_the_workshop(world: Any) -> dict[str, Any]:
    """A batch of world.refurbisher, the workshop of make_donation(world)."""
    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=world.refurbisher, donation=donation, file_name="lot.csv", row_count=0
    )
    return {"pk": batch.pk}


def job_of_the_workshop_contact(world: Any) -> dict[str, Any]:
    """A checked background import sent by the workshop contact: theirs alone to see."""
    user = world.users["refurbisher_contact"]
    job = ImportJob.objects.create(
        step=ImportJobStep.CHECK,
        state=ImportJobState.CHECKED,
        donation=make_donation(world),
        refurbisher=world.refurbisher,
        created_by=user,
        membership=Membership.objects.get(user=user),
        file_name="lot.csv",
        total_rows=400,
        processed_rows=400,
    )
    return {"pk": job.pk}


ROWS = [
    ("equipment:batch_list", None, "get", expect(ADMIN | WORKSHOP)),
    ("equipment:batch_import", None, "get", expect(ADMIN | WORKSHOP)),
    ("equipment:donation_suggestions", None, "get", expect(ADMIN | WORKSHOP)),
    ("equipment:batch_import_template", None, "get", expect(ADMIN | WORKSHOP)),
    # Only the person who sent the file sees its job: the national admin too gets 404.
    (
        "equipment:batch_import_job",
        job_of_the_workshop_contact,
        "get",
        expect(ADMIN | WORKSHOP, admin=404),
    ),
    (
        "equipment:batch_import_job_confirm",
        job_of_the_workshop_contact,
        "post",
        expect(ADMIN | WORKSHOP, ok_code=302, admin=404),
    ),
    ("equipment:batch_detail", batch_of_the_workshop, "get", expect(ADMIN | WORKSHOP)),
    # An empty POST is refused with the form's message (400), after the role rule.
    (
        "equipment:batch_advance",
        batch_of_the_workshop,
        "post",
        expect(ADMIN | WORKSHOP, ok_code=400),
    ),
    (
        "equipment:batch_certificate",
        batch_of_the_workshop,
        "post",
        expect(ADMIN | WORKSHOP, ok_code=400),
    ),
]
