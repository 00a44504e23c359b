"""Who may do what with donations and devices: `can_<verb>(scope, object)` predicates.

Views also declare a role rule (`rules` below); the selectors restrict what each role sees.
"""

from solidarnum.accounts.access import roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope

from .enums import SHELF_STATUSES, Status
from .lifecycle import WORKSHOP_MOVES
from .models import Device, Donation, Transfer

SITE_TEAM = (Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER)
SITE_STAFF = (Role.SITE_MANAGER, Role.STAFF)

# View rules (the role part; objects are then scoped by the selectors).
DEVICE_READERS = roles(Role.NATIONAL_ADMIN, *SITE_TEAM, Role.REFURBISHER_CONTACT)
STOCK_READERS = roles(Role.NATIONAL_ADMIN, *SITE_TEAM)
STOCK_KEEPERS = roles(Role.NATIONAL_ADMIN, *SITE_STAFF)
CHECKERS = roles(*SITE_TEAM)
DONATION_READERS = roles(Role.NATIONAL_ADMIN, Role.DONOR_CONTACT, Role.REFURBISHER_CONTACT)
DONATION_DECLARERS = roles(Role.NATIONAL_ADMIN, Role.DONOR_CONTACT)
WORKSHOP = roles(Role.NATIONAL_ADMIN, Role.REFURBISHER_CONTACT)
TRANSFER_ACTORS = roles(Role.NATIONAL_ADMIN, *SITE_STAFF, Role.REFURBISHER_CONTACT)
PRICE_READERS = roles(Role.NATIONAL_ADMIN, *SITE_TEAM)
PRICE_SETTERS = roles(Role.NATIONAL_ADMIN)
DONOR_REPORT_READERS = roles(Role.NATIONAL_ADMIN, Role.DONOR_CONTACT)


def _is_site_staff_of(scope: Scope, reception_point_id: int | None) -> bool:
    return (
        scope.role in SITE_STAFF
        and reception_point_id is not None
        and scope.reception_point_id == reception_point_id
    )


def can_move(scope: Scope, device: Device, to_status: str) -> bool:
    """May the caller make this (manual) transition on this device?"""
    move = (Status(device.status), Status(to_status))
    if scope.is_national_admin:
        return True
    if move in WORKSHOP_MOVES:
        return scope.is_refurbisher_contact and scope.refurbisher_id == device.refurbisher_id
    return _is_site_staff_of(scope, device.reception_point_id)


def can_check(scope: Scope, device: Device) -> bool:
    """The volunteer check: a site member with the refurbishing skill, on their site's device."""
    return (
        scope.can_check_devices
        and device.reception_point_id == scope.reception_point_id
        and device.status == Status.TO_CHECK
    )


def can_reserve(scope: Scope, device: Device) -> bool:
    return _is_site_staff_of(scope, device.reception_point_id) and device.status in (
        Status.AVAILABLE,
        Status.RESERVED,
    )


def can_record_erasure(scope: Scope, device: Device) -> bool:
    if scope.is_national_admin:
        return True
    if scope.is_refurbisher_contact:
        return scope.refurbisher_id == device.refurbisher_id
    return _is_site_staff_of(scope, device.reception_point_id) and (device.status in SHELF_STATUSES)


def can_record_tax_receipt(scope: Scope, donation: Donation) -> bool:
    if scope.is_national_admin:
        return True
    return scope.is_refurbisher_contact and scope.refurbisher_id == donation.refurbisher_id


def can_import_batch(scope: Scope) -> bool:
    return scope.is_national_admin or scope.is_refurbisher_contact


def can_import_into(scope: Scope, donation: Donation) -> bool:
    if scope.is_national_admin:
        return True
    return (
        can_import_batch(scope)
        and scope.refurbisher_id is not None
        and scope.refurbisher_id == donation.refurbisher_id
    )


def can_receive(scope: Scope, transfer: Transfer) -> bool:
    if scope.is_national_admin:
        return True
    return _is_site_staff_of(scope, transfer.to_point_id)


def can_count_stock(scope: Scope) -> bool:
    return scope.role in SITE_STAFF
