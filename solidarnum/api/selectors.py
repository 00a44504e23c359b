"""Reads of the API pages."""

from django.db.models import QuerySet

from solidarnum.accounts.models import User

from .models import ApiToken


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A référent's own tokens: nobody else's is ever listed."""
    return ApiToken.objects.filter(user=user).select_related("partner_structure")
