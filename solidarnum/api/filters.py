import django_filters

from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)

    class Meta:
        model = Referral
        fields = ["status"]
