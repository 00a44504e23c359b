"""Cash sessions: opening a till with its counted float, closing it with the counted cash and the
card terminal's total. Tills and the volunteers' till right are set here too."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.network.models import ReceptionPoint
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.sales import permissions
from solidarnum.sales.enums import BasketStatus, SessionStatus
from solidarnum.sales.models import ZERO, Basket, CashSession, Till, TillRight
from solidarnum.sales.sessions.selectors import totals_of

CLOSING_FIELDS = [
    "status",
    "closed_by",
    "closed_at",
    "expected_cash",
    "counted_cash",
    "expected_card",
    "counted_card",
    "difference",
    "comment",
]


def _money(value: Decimal | None, label: str) -> Decimal:
    if value is None:
        raise ServiceError(_("Indiquez %(what)s.") % {"what": label})
    value = Decimal(value).quantize(Decimal("0.01"))
    if value < 0:
        raise ServiceError(_("%(what)s ne peut pas être négatif.") % {"what": label.capitalize()})
    return value


@transaction.atomic
def create_till(
    *, acting_user: User, scope: Scope, reception_point: ReceptionPoint, name: str
) -> Till:
    """A new named till at the manager's reception point."""
    if not permissions.is_manager_of(scope, reception_point.pk):
        raise ServiceError(_("Seul le responsable du point d'accueil ajoute une caisse."))
    name = " ".join(name.split())
    if not name:
        raise ServiceError(_("Donnez un nom à la caisse, par exemple « Caisse 1 »."))
    if Till.objects.filter(reception_point=reception_point, name=name).exists():
        raise ServiceError(_("Une caisse porte déjà ce nom ici."))
    till = Till.objects.create(reception_point=reception_point, name=name)
    record(actor=acting_user, action=AuditAction.CREATE, obj=till, changed_fields=["name"])
    return till


@transaction.atomic
def grant_till_right(*, acting_user: User, scope: Scope, membership: Membership) -> TillRight:
    """The site manager lets a volunteer of the site sell at the till."""
    if not permissions.is_manager_of(scope, membership.reception_point_id):
        raise ServiceError(_("Seul le responsable du point d'accueil donne le droit de caisse."))
    if membership.role != Role.VOLUNTEER:
        raise ServiceError(_("Le droit de caisse se donne à un bénévole ; l'équipe l'a déjà."))
    current = TillRight.objects.filter(membership=membership, revoked_at__isnull=True).first()
    if current is not None:
        return current
    right = TillRight.objects.create(membership=membership, granted_by=acting_user)
    record(actor=acting_user, action=AuditAction.CREATE, obj=right, changed_fields=["membership"])
    return right


@transaction.atomic
def revoke_till_right(*, acting_user: User, scope: Scope, membership: Membership) -> None:
    if not permissions.is_manager_of(scope, membership.reception_point_id):
        raise ServiceError(_("Seul le responsable du point d'accueil retire le droit de caisse."))
    rights = list(TillRight.objects.filter(membership=membership, revoked_at__isnull=True))
    for right in rights:
        right.revoked_at = timezone.now()
        right.save(update_fields=["revoked_at"])
        record(
            actor=acting_user, action=AuditAction.UPDATE, obj=right, changed_fields=["revoked_at"]
        )


@transaction.atomic
def open_session(
    *, acting_user: User, scope: Scope, till: Till, opening_float: Decimal | None
) -> CashSession:
    """Open a till with the float counted in the drawer. One open session per till."""
    if not permissions.can_sell(scope, till.reception_point_id):
        raise ServiceError(_("Vous ne pouvez pas ouvrir une caisse de ce point d'accueil."))
    if not till.is_active:
        raise ServiceError(_("Cette caisse n'est plus en service."))
    amount = _money(opening_float, _("le fond de caisse compté"))
    if CashSession.objects.filter(till=till, status=SessionStatus.OPEN).exists():
        raise ServiceError(
            _("La caisse « %(till)s » est déjà ouverte : reprenez la session en cours.")
            % {"till": till.name}
        )
    try:
        with transaction.atomic():
            session = CashSession.objects.create(
                till=till,
                reception_point_id=till.reception_point_id,
                opened_by=acting_user,
                opening_float=amount,
            )
    except IntegrityError:  # another counter opened it at the same moment
        raise ServiceError(
            _("La caisse « %(till)s » est déjà ouverte : reprenez la session en cours.")
            % {"till": till.name}
        ) from None
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=session,
        changed_fields=["status", "opening_float"],
    )
    return session


@transaction.atomic
def close_session(
    *,
    acting_user: User,
    scope: Scope,
    session: CashSession,
    counted_cash: Decimal | None,
    counted_card: Decimal | None,
    comment: str = "",
) -> CashSession:
    """Close with what was counted. Above the tolerance (SALES_CLOSING_TOLERANCE) only the site
    manager closes; any difference needs a comment; an unfinished basket prevents it."""
    session = CashSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_sell(scope, session.reception_point_id):
        raise ServiceError(_("Vous ne pouvez pas clôturer une caisse de ce point d'accueil."))
    if session.status != SessionStatus.OPEN:
        raise ServiceError(_("Cette session est déjà clôturée."))
    cash = _money(counted_cash, _("les espèces comptées dans le tiroir"))
    card = _money(counted_card if counted_card is not None else ZERO, _("le total carte"))
    open_baskets = Basket.objects.filter(session=session, status=BasketStatus.OPEN)
    if open_baskets.filter(items__isnull=False).exists():
        raise ServiceError(
            _(
                "Un panier n'est pas terminé dans cette session : encaissez-le ou abandonnez-le "
                "avant de clôturer."
            )
        )
    totals = totals_of(session)
    cash_gap = cash - totals.expected_cash
    card_gap = card - totals.expected_card
    gap = cash_gap + card_gap
    comment = " ".join(comment.split())
    if (cash_gap or card_gap) and not comment:
        raise ServiceError(
            _("Il y a un écart de %(gap)s € : dites en quelques mots d'où il peut venir.")
            % {"gap": f"{gap:+.2f}".replace(".", ",")}
        )
    tolerance = settings.SALES_CLOSING_TOLERANCE
    if (abs(cash_gap) + abs(card_gap)) > tolerance and not permissions.is_manager_of(
        scope, session.reception_point_id
    ):
        raise ServiceError(
            _(
                "L'écart dépasse %(tolerance)s € : seul le responsable du point d'accueil peut "
                "clôturer cette caisse. Recomptez ou appelez-le."
            )
            % {"tolerance": f"{tolerance:.2f}".replace(".", ",")}
        )
    for basket in open_baskets:  # empty baskets left open
        basket.status = BasketStatus.ABANDONED
        basket.save(update_fields=["status"])
    session.status = SessionStatus.CLOSED
    session.closed_by = acting_user
    session.closed_at = timezone.now()
    session.expected_cash = totals.expected_cash
    session.counted_cash = cash
    session.expected_card = totals.expected_card
    session.counted_card = card
    session.difference = gap
    session.comment = comment
    session.save(update_fields=CLOSING_FIELDS)
    record(actor=acting_user, action=AuditAction.UPDATE, obj=session, changed_fields=CLOSING_FIELDS)
    return session
