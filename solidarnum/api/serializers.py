"""What the API reads and writes. Error messages are French, like the rest of the product."""

import re
from collections.abc import Mapping
from typing import Any

from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.settings import api_settings

from solidarnum.beneficiaries.enums import ContactPreference, Housing, Public
from solidarnum.beneficiaries.models import MIN_BIRTH_YEAR, TimelineEntry
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.referrals.models import Referral, RefusalReason

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY
MAX_LANGUAGES = 10
MAX_REASON_LENGTH = Referral._meta.get_field("reason").max_length  # the model sets it
MAX_UNKNOWN_FIELDS_REPORTED = 20

NEEDS = ("equip", "connect", "support")
MAX_ID = 2**63 - 1  # the largest primary key (bigint)
PHONE_CHARACTERS = re.compile(r"(\+?[0-9][0-9 .()-]*)?")


# DRF's fields read "1979" as 1979, "true" or 1 as True, and 42 as "42": the API takes JSON
# types as the schema states them, nothing else.
class StrictCharField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPhoneNumberField(PhoneNumberField):
    """`phonenumbers` reads a number out of any text ("06 12 34 56 78, demandez Ali"): only
    digits and the usual separators are taken, within `max_length` as typed."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not PHONE_CHARACTERS.fullmatch(data.strip()):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ReceptionPointField(serializers.PrimaryKeyRelatedField[ReceptionPoint]):
    def to_internal_value(self, data: Any) -> ReceptionPoint:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:  # out of the column's range: unknown, not a database error
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)  # type: ignore[arg-type]


# ISO 639 codes, plus "other" like the web form.
language_code = RegexValidator(
    r"^([a-z]{2,3}|other)$",
    message=_(
        "Code de langue non reconnu : deux ou trois lettres minuscules (par exemple fr), "
        "ou « other »."
    ),
)


class ReferralCreateSerializer(serializers.Serializer[Any]):
    """The fields of the bon d'orientation. Unknown fields are refused, not ignored."""

    first_name = StrictCharField(label=_("Prénom"), max_length=100)
    last_name = StrictCharField(label=_("Nom"), max_length=100)
    birth_year = StrictIntegerField(label=_("Année de naissance"))  # bounded in get_fields
    phone = StrictPhoneNumberField(
        label=_("Téléphone"),
        region="FR",
        required=False,
        allow_blank=True,
        default="",
        max_length=40,
        error_messages={
            "invalid": _(
                "Ce numéro de téléphone n'est pas valide. Exemples : 06 12 34 56 78 "
                "ou +33 6 12 34 56 78."
            )
        },
    )
    has_no_phone = StrictBooleanField(label=_("Pas de téléphone"), default=False)
    contact_notes = StrictCharField(
        label=_("Autre moyen de contact"),
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
    )
    email = StrictEmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
    )
    languages = serializers.ListField(
        label=_("Langues parlées"),
        child=StrictCharField(max_length=5, trim_whitespace=False, validators=[language_code]),
        max_length=MAX_LANGUAGES,
        required=False,
        default=list,
        help_text=_('Codes de langue, par exemple ["fr", "ar"].'),
    )
    contact_preference = serializers.ChoiceField(
        label=_("Comment la joindre"),
        choices=ContactPreference.choices,
        required=False,
        help_text=_("Par défaut : SMS si un numéro est donné, sinon par le référent."),
    )
    housing = serializers.ChoiceField(label=_("Logement"), choices=Housing.choices)
    publics = serializers.ListField(
        label=_("Public"),
        child=serializers.ChoiceField(choices=Public.choices),
        max_length=len(Public.choices),
        required=False,
        default=list,
    )
    needs_equip = StrictBooleanField(label=_("Besoin : équiper"), default=False)
    needs_equip_detail = StrictCharField(
        label=_("Précision"),
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
    )
    needs_connect = StrictBooleanField(label=_("Besoin : connecter"), default=False)
    needs_connect_detail = StrictCharField(
        label=_("Précision"),
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
    )
    needs_support = StrictBooleanField(label=_("Besoin : accompagner"), default=False)
    needs_support_detail = StrictCharField(
        label=_("Précision"),
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
    )
    reception_point = ReceptionPointField(
        label=_("Point d'accueil"),
        queryset=ReceptionPoint.objects.active(),
        required=False,
        help_text=_("Identifiant du point d'accueil ; par défaut, celui de votre structure."),
        error_messages={
            "does_not_exist": _("Point d'accueil inconnu ou fermé (identifiant {pk_value})."),
            "incorrect_type": _("Indiquez l'identifiant numérique du point d'accueil."),
        },
    )
    reason = StrictCharField(label=_("Motif de l'orientation"), max_length=MAX_REASON_LENGTH)
    consent = StrictBooleanField(
        label=_("Personne informée"),
        help_text=_(
            "true : la personne a été informée de l'orientation et de l'usage de ses données."
        ),
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # Bounded here rather than at import: the upper bound is this year (schema included).
        this_year = timezone.localdate().year
        out_of_range = _("L'année de naissance doit être comprise entre %(min)s et %(max)s.") % {
            "min": MIN_BIRTH_YEAR,
            "max": this_year,
        }
        fields["birth_year"] = StrictIntegerField(
            label=_("Année de naissance"),
            min_value=MIN_BIRTH_YEAR,
            max_value=this_year,
            error_messages={"min_value": out_of_range, "max_value": out_of_range},
        )
        return fields

    @property
    def errors(self) -> Any:
        errors = super().errors
        # DRF answers a JSON `null` body with an English-only message.
        if any(getattr(e, "code", None) == "null" for e in errors.get(NON_FIELD_ERRORS, [])):
            errors[NON_FIELD_ERRORS] = [
                serializers.ErrorDetail(
                    str(_("Envoyez un objet JSON avec les champs du bon d'orientation.")),
                    code="null",
                )
            ]
        return errors

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            extra = [str(key)[:100] for key in data if key not in self.fields]
            unknown = {
                key: [str(_("Champ inconnu : retirez-le de la requête."))]
                for key in extra[:MAX_UNKNOWN_FIELDS_REPORTED]
            }
        try:
            value: dict[str, Any] = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def validate_first_name(self, value: str) -> str:
        return " ".join(value.split())

    def validate_last_name(self, value: str) -> str:
        return " ".join(value.split())

    def validate_languages(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_publics(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                _(
                    "La personne doit avoir été informée de l'orientation et de l'usage de ses "
                    "données : envoyez « consent »: true."
                )
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        phone, has_no_phone = attrs.get("phone"), attrs["has_no_phone"]
        if has_no_phone and phone:
            errors["phone"] = _(
                "Un numéro est indiqué alors que « has_no_phone » vaut true : choisissez l'un "
                "ou l'autre."
            )
        elif not has_no_phone and not phone:
            errors["phone"] = _(
                "Indiquez un numéro de téléphone, ou « has_no_phone »: true avec un autre "
                "moyen de contact dans « contact_notes »."
            )
        elif has_no_phone and not attrs["contact_notes"]:
            errors["contact_notes"] = _(
                "Sans téléphone, précisez comment joindre la personne (par exemple : par "
                "l'intermédiaire du référent)."
            )
        preference = attrs.get("contact_preference")
        if preference is None:
            attrs["contact_preference"] = (
                ContactPreference.SMS if phone else ContactPreference.REFERENT
            )
        elif preference in (ContactPreference.SMS, ContactPreference.CALL) and not phone:
            errors["contact_preference"] = _("Un SMS ou un appel demande un numéro de téléphone.")
        elif preference == ContactPreference.EMAIL and not attrs["email"]:
            errors["contact_preference"] = _("Le contact par e-mail demande une adresse e-mail.")
        if not any(attrs[f"needs_{need}"] for need in NEEDS):
            errors["needs"] = _(
                "Indiquez au moins un besoin : équiper, connecter ou accompagner "
                "(needs_equip, needs_connect, needs_support)."
            )
        for need in NEEDS:
            if attrs[f"needs_{need}_detail"] and not attrs[f"needs_{need}"]:
                errors[f"needs_{need}_detail"] = _(
                    "Précision donnée pour un besoin non indiqué : mettez « needs_%(need)s »: "
                    "true, ou retirez la précision."
                ) % {"need": need}
        if "reception_point" not in attrs:
            structure: PartnerStructure = self.context["partner_structure"]
            default = structure.reception_point
            if not default.is_active:
                errors["reception_point"] = _(
                    "Le point d'accueil habituel de votre structure est fermé : indiquez "
                    "« reception_point »."
                )
            attrs["reception_point"] = default
        if errors:
            raise serializers.ValidationError(errors)
        if not phone:
            attrs["phone"] = ""
        return attrs

    def referral_fields(self) -> dict[str, Any]:
        """The validated data as `Referral` constructor arguments."""
        data = dict(self.validated_data)
        data.pop("consent")
        return data


class ReceptionPointSerializer(serializers.ModelSerializer[ReceptionPoint]):
    class Meta:
        model = ReceptionPoint
        fields = ["id", "name"]


class RefusalReasonSerializer(serializers.ModelSerializer[RefusalReason]):
    class Meta:
        model = RefusalReason
        fields = ["code", "label"]


class MilestoneSerializer(serializers.ModelSerializer[TimelineEntry]):
    code = serializers.CharField(source="milestone")
    label = serializers.CharField(source="get_milestone_display")  # type: ignore[assignment]

    class Meta:
        model = TimelineEntry
        fields = ["code", "label", "at"]


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    """A referral as its référent follows it. Milestones come from the context
    (`milestones`: beneficiary id -> entries), loaded in one query for a whole page."""

    status_label = serializers.CharField(source="get_status_display")
    reception_point = ReceptionPointSerializer()
    refusal_reason = RefusalReasonSerializer(allow_null=True)
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "reference",
            "status",
            "status_label",
            "created_at",
            "decided_at",
            "first_name",
            "last_name",
            "reception_point",
            "needs_equip",
            "needs_connect",
            "needs_support",
            "refusal_reason",
            "refusal_comment",
            "milestones",
        ]

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, referral: Referral) -> list[dict[str, Any]]:
        if referral.beneficiary_id is None:
            return []
        entries = self.context["milestones"].get(referral.beneficiary_id, [])
        return MilestoneSerializer(entries, many=True).data  # type: ignore[return-value]
