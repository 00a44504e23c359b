"""Building a sale's device line: the device sold to the person at the grid's price of the day.
Shared by the sale (`services.sell_basket`) and the exchange (`refunds.services`)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.errors import ServiceError
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from solidarnum.equipment.reservations import services as reservations
from solidarnum.equipment.selectors import price_for
from solidarnum.sales import permissions
from solidarnum.sales.enums import LineKind
from solidarnum.sales.models import SaleLine
from solidarnum.sales.selectors import device_market_price


def device_line(
    *, acting_user: User, scope: Scope, device: Device, beneficiary: Beneficiary, day: date
) -> SaleLine:
    """The device sold to the person (reserved for them, or reserved now when it is available
    and the seller is staff), as an unsaved line at the grid's price of `day`."""
    rule = price_for(device.kind, device.grade, day) if device.grade else None
    if rule is None:
        raise ServiceError(_("Aucun prix solidaire n'est fixé pour ce type et ce grade."))
    device = Device.objects.select_for_update(of=("self",)).get(pk=device.pk)
    if device.status == Status.AVAILABLE:
        if not permissions.is_staff_of(scope, device.reception_point_id):
            raise ServiceError(
                _("Un bénévole vend l'appareil réservé pour la personne, pas un autre appareil.")
            )
        device = reservations.reserve(
            acting_user=acting_user, scope=scope, device=device, beneficiary=beneficiary
        )
    elif device.status != Status.RESERVED or device.reserved_for_id != beneficiary.pk:
        raise ServiceError(
            _(
                "L'appareil %(device)s n'est plus disponible : il vient d'être vendu ou réservé "
                "pour une autre personne. Retirez-le du panier et choisissez-en un autre."
            )
            % {"device": device.label}
        )
    device = reservations.record_sale(acting_user=acting_user, device=device, price=rule.amount)
    market = device_market_price(device.kind, device.grade, day) or rule.amount
    return SaleLine(
        kind=LineKind.DEVICE,
        device=device,
        label=f"{device.get_kind_display()} {device.label}"[:160],
        device_kind=device.kind,
        solidarity_price=rule.amount,
        market_price=max(market, rule.amount),
    )
