"""Who may do what with offers, codes and relays: the view rules and `can_<verb>` predicates.

- national admins: the catalogue and every stock, never a secret code;
- a reception point's team: its own stock; its staff receive deliveries, consign to relays,
  transfer, reveal a code that has left the stock;
- a relay operator: only the codes consigned to its relay and its own sales;
- who sells codes at a reception point (`can_sell_codes`): its staff, and whoever the till's
  rule allows (a volunteer holding the till right). The till (`sales`) registers that rule from
  its `AppConfig.ready()`: connectivity cannot import sales, which imports it.
"""

from collections.abc import Callable

from solidarnum.accounts.access import roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope

SITE_TEAM = (Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER)
SITE_STAFF = (Role.SITE_MANAGER, Role.STAFF)

OFFER_READERS = roles(Role.NATIONAL_ADMIN, *SITE_TEAM)
OFFER_SETTERS = roles(Role.NATIONAL_ADMIN)
STOCK_READERS = roles(Role.NATIONAL_ADMIN, *SITE_TEAM)
STOCK_KEEPERS = roles(*SITE_STAFF)
# Reveal: the staff of the code's site. National admins see everything but the secret codes.
REVEALERS = roles(*SITE_STAFF)
RELAY_MANAGERS = roles(Role.NATIONAL_ADMIN, *SITE_STAFF)
RELAY_OPERATORS = roles(Role.RELAY_OPERATOR)
STATEMENT_READERS = roles(Role.NATIONAL_ADMIN, *SITE_STAFF, Role.RELAY_OPERATOR)


def is_site_staff_of(scope: Scope, reception_point_id: int | None) -> bool:
    return (
        scope.role in SITE_STAFF
        and reception_point_id is not None
        and scope.reception_point_id == reception_point_id
    )


def is_operator_of(scope: Scope, relay_id: int | None) -> bool:
    return (
        scope.role == Role.RELAY_OPERATOR
        and relay_id is not None
        and scope.partner_structure_id == relay_id
    )


def can_manage_relay(scope: Scope, reception_point_id: int) -> bool:
    """Consign to, validate the statements of, a relay attached to this reception point."""
    return scope.is_national_admin or is_site_staff_of(scope, reception_point_id)


SellerRule = Callable[[Scope, int], bool]
_seller_rules: list[SellerRule] = []


def register_seller_rule(rule: SellerRule) -> None:
    """Let another app say who else sells codes at a site's till (`sales.permissions.can_sell`)."""
    if rule not in _seller_rules:
        _seller_rules.append(rule)


def can_sell_codes(scope: Scope, reception_point_id: int | None) -> bool:
    """Take the next code for a sale and print its secret on the receipt: the site's staff, or
    someone a registered rule allows at that site (the till's volunteers with the till right)."""
    if reception_point_id is None:
        return False
    if is_site_staff_of(scope, reception_point_id):
        return True
    return any(rule(scope, reception_point_id) for rule in _seller_rules)
