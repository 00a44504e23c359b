"""Shared bases of the equipment models."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferencedModel(models.Model):
    """A readable reference, PREFIX-YEAR-00042, given once the row has its id."""

    reference = models.CharField(_("référence"), max_length=24, unique=True, editable=False)
    reference_prefix = ""
    reference_date_field = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.reference:
            super().save(*args, **kwargs)
            return
        self.reference = f"tmp-{uuid.uuid4().hex[:20]}"
        super().save(*args, **kwargs)
        year = getattr(self, self.reference_date_field).year
        self.reference = f"{self.reference_prefix}-{year}-{self.pk:05d}"
        type(self).objects.filter(pk=self.pk).update(reference=self.reference)  # type: ignore[attr-defined]
