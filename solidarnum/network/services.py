"""Writes on the network. Each save is audited in the same transaction."""

from typing import Any

from django import forms
from django.db import models, transaction

from solidarnum.accounts.models import User
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction


@transaction.atomic
def save_network_object(*, acting_user: User, form: forms.ModelForm[Any]) -> models.Model:
    """Save a validated network form (place, partner, donor, refurbisher) and audit it."""
    created = form.instance.pk is None
    obj = form.save()
    record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        changed_fields=form.changed_data,
    )
    return obj
