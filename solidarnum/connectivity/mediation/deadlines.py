"""The legal path of a dispute with a telecom operator in France, and what is due next.

1. A written complaint to the operator's customer service.
2. Without a satisfying answer one month after it, the operator's consumer service (second level).
3. Two months after the written complaint without a solution, the Médiateur des communications
   électroniques may be seized, and never later than one year after the written complaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from solidarnum.beneficiaries.services import add_months
from solidarnum.connectivity.enums import OPEN_MEDIATION_STATUSES


@dataclass(frozen=True)
class NextStep:
    label: str | Promise
    due_on: date | None
    # The last day the mediator may be seized (one year after the written complaint).
    limit_on: date | None


def next_step(
    *,
    status: str,
    opened_on: date,
    complaint_on: date | None,
    consumer_service_on: date | None,
    mediator_on: date | None,
) -> NextStep | None:
    if status not in OPEN_MEDIATION_STATUSES:
        return None
    if complaint_on is None:
        return NextStep(_("Envoyer la réclamation écrite au service client"), opened_on, None)
    limit = add_months(complaint_on, 12)
    if mediator_on is not None:
        return NextStep(_("Attendre l'avis du médiateur"), None, None)
    if consumer_service_on is None:
        return NextStep(
            _("Sans réponse satisfaisante : saisir le service consommateurs de l'opérateur"),
            add_months(complaint_on, 1),
            limit,
        )
    return NextStep(
        _("Sans solution : saisir le Médiateur des communications électroniques"),
        add_months(complaint_on, 2),
        limit,
    )
