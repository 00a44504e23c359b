"""Template filters asking the equipment permissions, so templates never repeat a rule."""

from django import template

from solidarnum.accounts.scope import Scope
from solidarnum.equipment import permissions
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device

register = template.Library()


@register.filter
def checkable_by(device: Device, scope: Scope) -> bool:
    """`{% if device|checkable_by:scope %}`: may this person do the volunteer check now?"""
    return permissions.can_check(scope, device)


@register.filter
def reservable_by(device: Device, scope: Scope) -> bool:
    return device.status == Status.AVAILABLE and permissions.can_reserve(scope, device)


@register.filter
def cancellable_by(device: Device, scope: Scope) -> bool:
    """May this person cancel the device's reservation?"""
    return device.status == Status.RESERVED and permissions.can_reserve(scope, device)
