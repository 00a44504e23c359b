"""The volunteer check at the reception point: the checklist, the erasure gate, the result."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.devices.services import has_successful_erasure
from solidarnum.equipment.enums import CheckAnswer, CheckPoint, DeviceKind, Status
from solidarnum.equipment.lifecycle import _locked, _move
from solidarnum.equipment.models import Device, DeviceCheck


def applicable_points(kind: str) -> list[CheckPoint]:
    """Every point applies except a battery and camera on a desktop, a camera on a hotspot."""
    skip: set[CheckPoint] = set()
    if kind == DeviceKind.DESKTOP:
        skip = {CheckPoint.BATTERY, CheckPoint.CAMERA, CheckPoint.CHARGER}
    elif kind == DeviceKind.HOTSPOT:
        skip = {CheckPoint.CAMERA, CheckPoint.SOUND, CheckPoint.INPUT, CheckPoint.ACCOUNTS}
    elif kind == DeviceKind.BASIC_PHONE:
        skip = {CheckPoint.WIFI}
    return [point for point in CheckPoint if point not in skip]


@transaction.atomic
def record_check(
    *,
    acting_user: User,
    scope: Scope,
    device: Device,
    answers: dict[str, str],
    battery_health: int | None = None,
    grade: str = "",
    comment: str = "",
) -> DeviceCheck:
    """Save a check: all right makes the device "disponible", any failure sends it to repair."""
    device = _locked(device)
    if device.status != Status.TO_CHECK:
        raise ServiceError(
            _("Cet appareil n'est pas à contrôler (statut : %(status)s).")
            % {"status": Status(device.status).label}
        )
    if not permissions.can_check(scope, device):
        raise ServiceError(
            _(
                "Le contrôle est réservé aux personnes du point d'accueil ayant la compétence "
                "reconditionnement."
            )
        )
    points = applicable_points(device.kind)
    clean: dict[str, str] = {}
    for point in points:
        answer = answers.get(point.value)
        if answer not in CheckAnswer.values:
            raise ServiceError(_("Répondez au point « %(point)s ».") % {"point": point.label})
        clean[point.value] = answer
    threshold = settings.EQUIPMENT_BATTERY_MIN_PERCENT
    battery_failed = False
    if clean.get(CheckPoint.BATTERY) not in (None, CheckAnswer.NOT_APPLICABLE):
        if battery_health is None:
            raise ServiceError(_("Indiquez la santé de la batterie mesurée, en %."))
        if battery_health < threshold:
            clean[CheckPoint.BATTERY.value] = CheckAnswer.FAIL
            battery_failed = True
    failed = [CheckPoint(code) for code, answer in clean.items() if answer == CheckAnswer.FAIL]
    passed = not failed
    comment = comment.strip()
    if not passed and not comment and not battery_failed:
        raise ServiceError(_("Décrivez ce qui ne va pas dans le commentaire."))
    if grade:
        device.grade = grade
    if passed:
        if not has_successful_erasure(device):
            raise ServiceError(
                _(
                    "Cet appareil ne peut pas être mis en vente : aucun effacement des données "
                    "réussi n'est enregistré. Demandez le certificat à l'atelier."
                )
            )
        if not device.grade:
            raise ServiceError(_("Indiquez le grade de l'appareil (A, B ou C)."))
    if battery_health is not None:
        device.battery_health = battery_health
    assert device.reception_point is not None  # can_check: the device is on the checker's site
    check = DeviceCheck.objects.create(
        device=device,
        reception_point=device.reception_point,
        performed_by=acting_user,
        answers=clean,
        battery_health=battery_health,
        passed=passed,
        comment=comment,
    )
    if passed:
        _move(device, Status.AVAILABLE, acting_user=acting_user, reason=_("Contrôle réussi"))
    else:
        labels = ", ".join(str(point.label) for point in failed)
        if battery_failed:
            labels += " " + _("(batterie à %(value)s %%, seuil %(min)s %%)") % {
                "value": battery_health,
                "min": threshold,
            }
        reason = _("Contrôle : %(points)s") % {"points": labels}
        if comment:
            reason += f" · {comment}"
        _move(device, Status.TO_REPAIR, acting_user=acting_user, reason=reason)
    device.save(
        update_fields=["status", "status_changed_at", "grade", "battery_health", "updated_at"]
    )
    return check
