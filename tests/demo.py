"""The demo data of `manage.py seed_demo`, for tests that need pages of a realistic size (the
accessibility walk of every page, the weight of the working pages)."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.urls import Resolver404, resolve

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD  # noqa: F401 -- re-exported

# One demo account per role (solidarnum/accounts/demo.py); None: a visitor who is not logged in.
# The staff member of Paris 19e also volunteers in Paris 14e: the role switcher shows up.
DEMO_ROLES: dict[str, str | None] = {
    "anonymous": None,
    "national_admin": "admin",
    "site_manager": "responsable.paris19",
    "staff": "conseiller.paris19",
    "volunteer": "benevole.paris19",
    "lead_referent": "referent.paris19",
    "referent": "referent2.paris19",
    "relay_operator": "relais.melun",
    "donor_contact": "donateur",
    "refurbisher_contact": "atelier",
}


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


def seed_demo() -> None:
    """The whole demo (network, accounts, 300 referrals, equipment), as `make run` has it."""
    call_command("seed_demo", force=True, stdout=StringIO())


# Walking the demo's pages: one representative of each kind of page (its URL pattern).
# Not pages of the product: signing out ends the walk; the Django admin is a support tool.
SKIPPED_VIEWS = re.compile(r"^(account_logout$|admin:)")
FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".yaml", ".zip")


def view_name_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def worth_visiting(path: str) -> bool:
    """A page of the product (not a file, not the admin, not signing out)."""
    name = view_name_of(path)
    return (
        name is not None
        and not SKIPPED_VIEWS.match(name)
        and not urlsplit(path).path.lower().endswith(FILE_SUFFIXES)
    )
