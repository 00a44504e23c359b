import django_filters
from django.utils.translation import gettext_lazy as _

from .enums import Channel, MessageStatus
from .models import Message


class MessageFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=MessageStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("Canal"), choices=Channel.choices)

    class Meta:
        model = Message
        fields = ["status", "channel"]
