"""Access-matrix rows for the batch pages (import, list, detail, bulk actions)."""

from typing import Any

from solidarnum.equipment.models import ImportBatch
from tests.equipment.factories import make_donation
from tests.matrix import ADMIN, WORKSHOP, expect


def batch_of_the_workshop(world: Any) -> dict[str, Any]:
    """A batch of world.refurbisher, the workshop of make_donation(world)."""
    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=world.refurbisher, donation=donation, file_name="lot.csv", row_count=0
    )
    return {"pk": batch.pk}


ROWS = [
    ("equipment:batch_list", None, "get", expect(ADMIN | WORKSHOP)),
    ("equipment:batch_import", None, "get", expect(ADMIN | WORKSHOP)),
    ("equipment:batch_import_template", None, "get", expect(ADMIN | WORKSHOP)),
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
