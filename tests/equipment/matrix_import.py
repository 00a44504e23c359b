"""Access-matrix rows for the batch pages (import, list, detail, bulk actions)."""

from typing import Any

from solidarnum.accounts.models import Membership
from solidarnum.equipment.enums import ImportJobState, ImportJobStep
from solidarnum.equipment.models import ImportBatch, ImportJob
from tests.conftest import ROLES

from .factories import make_donation

LOGIN = "login"
WORKSHOP = {"admin", "refurbisher_contact"}


def expect(ok: set[str], *, ok_code: int = 200, **overrides: int | str) -> dict[str, int | str]:
    """`ok` roles get ok_code, other roles 403, anonymous is sent to log in."""
    table: dict[str, int | str] = {role: ok_code if role in ok else 403 for role in ROLES}
    table["anonymous"] = LOGIN
    table.update(overrides)
    return table


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
    ("batch_list", None, "get", expect(WORKSHOP)),
    ("batch_import", None, "get", expect(WORKSHOP)),
    ("batch_import_template", None, "get", expect(WORKSHOP)),
    # Only the person who sent the file sees its job: the national admin too gets 404.
    ("batch_import_job", job_of_the_workshop_contact, "get", expect(WORKSHOP, admin=404)),
    (
        "batch_import_job_confirm",
        job_of_the_workshop_contact,
        "post",
        expect(WORKSHOP, ok_code=302, admin=404),
    ),
    ("batch_detail", batch_of_the_workshop, "get", expect(WORKSHOP)),
    # An empty POST is refused with the form's message (400), after the role rule.
    ("batch_advance", batch_of_the_workshop, "post", expect(WORKSHOP, ok_code=400)),
    ("batch_certificate", batch_of_the_workshop, "post", expect(WORKSHOP, ok_code=400)),
]
