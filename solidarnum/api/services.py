"""Writes on API tokens: created and revoked by the référent who owns them, audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.common.errors import ServiceError
from solidarnum.network.models import PartnerStructure
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .models import PREFIX_LENGTH, ApiToken, hash_key, new_key

MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def create_api_token(
    *, acting_user: User, partner_structure: PartnerStructure, name: str
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its clear key, which is never stored nor shown again."""
    if ApiToken.objects.usable().filter(user=acting_user).count() >= MAX_ACTIVE_TOKENS:
        raise ServiceError(
            _("Vous avez déjà %(max)s jetons actifs : révoquez-en un avant d'en créer un autre.")
            % {"max": MAX_ACTIVE_TOKENS}
        )
    key = new_key()
    token = ApiToken.objects.create(
        user=acting_user,
        partner_structure=partner_structure,
        name=name.strip(),
        key_hash=hash_key(key),
        prefix=key[:PREFIX_LENGTH],
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=token,
        changed_fields=["name", "partner_structure"],
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, acting_user: User, token: ApiToken) -> ApiToken:
    """Revoke at once. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=token, changed_fields=["revoked_at"])
    return token
