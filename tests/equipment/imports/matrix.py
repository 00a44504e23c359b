"""Access-matrix rows for the batch pages (import, list, detail, bulk actions)."""

from typing import Any

from solidarnum.equipment.models import ImportBatch
from tests.conftest import ROLES
from tests.equipment.factories import make_donation

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


ROWS = [
    ("equipment:batch_list", None, "get", expect(WORKSHOP)),
    ("equipment:batch_import", None, "get", expect(WORKSHOP)),
    ("equipment:batch_import_template", None, "get", expect(WORKSHOP)),
    ("equipment:batch_detail", batch_of_the_workshop, "get", expect(WORKSHOP)),
    # An empty POST is refused with the form's message (400), after the role rule.
    ("equipment:batch_advance", batch_of_the_workshop, "post", expect(WORKSHOP, ok_code=400)),
    ("equipment:batch_certificate", batch_of_the_workshop, "post", expect(WORKSHOP, ok_code=400)),
]
