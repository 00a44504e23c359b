from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext as _

from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral


class ReferralFilterForm(forms.Form):
    def clean_status(self) -> Any:
        # django-filter reads `?status=` as "no filter": a value was sent, and it is none of ours.
        if "status" in self.data and not self.cleaned_data["status"]:
            raise forms.ValidationError(
                _("Sélectionnez un choix valide. « %(value)s » n'en fait pas partie.")
                % {"value": self.data["status"]}
            )
        return self.cleaned_data["status"]


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)

    class Meta:
        model = Referral
        fields = ["status"]
        form = ReferralFilterForm
