"""The django-import-export resource of a delivery: one row, one SIM card or one code.

As for device batches (ADR 0018), the resource never writes: each cell is cleaned by a widget
raising `ValueError` with a French message, rules across columns and rows (what a SIM card or a
recharge needs, duplicates in the file and in the database, expired codes) are added in
`validate_instance`, and a valid row's code is kept, its secret already encrypted, for
`services.save_delivery`. A message never repeats a secret code.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, results, widgets
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException
from stdnum import luhn

from solidarnum.common.tabular import LINE_COLUMN, plain, text_of
from solidarnum.connectivity import crypto
from solidarnum.connectivity.enums import CodeStatus, OfferKind
from solidarnum.connectivity.models import Code, Offer


def _compact(value: object) -> str:
    return re.sub(r"[\s.\-]", "", text_of(value)).upper()


class OfferWidget(widgets.Widget):
    def __init__(self, offers: dict[str, Offer]) -> None:
        super().__init__()
        self.offers = offers

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> Offer:
        text = text_of(value)
        if not text:
            raise ValueError(_("L'offre est obligatoire."))
        offer = self.offers.get(plain(text))
        if offer is None:
            raise ValueError(
                _("Offre inconnue : « %(value)s ». Offres du catalogue : %(known)s.")
                % {"value": text[:60], "known": ", ".join(o.name for o in self.offers.values())}
            )
        return offer


class IccidWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        iccid = _compact(value)
        if not iccid:
            return ""
        if not iccid.isdigit() or not 19 <= len(iccid) <= 20:
            raise ValueError(
                _("ICCID « %(value)s » : 19 ou 20 chiffres attendus.") % {"value": iccid[:24]}
            )
        if not iccid.startswith("89"):
            raise ValueError(
                _("ICCID « %(value)s » : il commence toujours par 89.") % {"value": iccid}
            )
        if not luhn.is_valid(iccid):
            raise ValueError(
                _("ICCID « %(value)s » : le dernier chiffre (clé de contrôle) est faux.")
                % {"value": iccid}
            )
        return iccid


class SerialWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        serial = _compact(value)
        if len(serial) > 32:
            raise ValueError(_("Numéro de série trop long : 32 caractères au maximum."))
        if serial and not serial.isalnum():
            raise ValueError(_("Un numéro de série ne contient que des lettres et des chiffres."))
        return serial


class SecretWidget(widgets.Widget):
    """The secret stays in memory; a message never repeats it."""

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        secret = _compact(value)
        if secret and (not secret.isalnum() or not 6 <= len(secret) <= 32):
            raise ValueError(
                _("Code secret illisible : de 6 à 32 chiffres ou lettres, sans autre signe.")
            )
        return secret


class PhoneWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        text = text_of(value)
        if not text:
            return ""
        try:
            number = PhoneNumber.from_string(text, region="FR")
        except NumberParseException:
            number = None
        if number is None or not number.is_valid():
            raise ValueError(
                _("Numéro de téléphone « %(value)s » invalide.") % {"value": text[:20]}
            )
        return str(number.as_e164)


class MoneyWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> Decimal | None:
        text = text_of(value).replace("€", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("« %(value)s » n'est pas un montant (exemple : 10,00).") % {"value": text[:20]}
            ) from None
        if not amount.is_finite() or not Decimal(0) <= amount <= Decimal(500):
            raise ValueError(_("La valeur faciale doit être comprise entre 0 et 500 €."))
        return amount.quantize(Decimal("0.01"))


class ExpiryWidget(widgets.Widget):
    FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = text_of(value)
        if not text:
            return None
        head = text.split("T")[0].split(" ")[0]
        for pattern in self.FORMATS:
            try:
                return date(*time.strptime(head, pattern)[:3])
            except ValueError:
                continue
        raise ValueError(
            _("Date illisible « %(value)s » : écrivez-la jj/mm/aaaa (ex. 31/12/2027).")
            % {"value": text[:20]}
        )


PROGRESS_STEPS = 20


class _Field(fields.Field):
    """Fields whose attribute is not a model field are kept on the instance as plain values."""


class CodeResource(resources.ModelResource):
    offer = _Field(attribute="offer", column_name="offre")
    iccid = _Field(attribute="iccid", column_name="iccid", widget=IccidWidget())
    phone_number = _Field(attribute="phone_number", column_name="telephone", widget=PhoneWidget())
    serial = _Field(attribute="serial", column_name="numero_serie", widget=SerialWidget())
    secret = _Field(attribute="secret", column_name="code_secret", widget=SecretWidget())
    face_value = _Field(attribute="face_value", column_name="valeur_faciale", widget=MoneyWidget())
    expires_on = _Field(
        attribute="expires_on", column_name="date_expiration", widget=ExpiryWidget()
    )

    class Meta:
        model = Code
        fields = ("offer", "iccid", "phone_number", "serial", "secret", "face_value", "expires_on")
        import_order = fields
        force_init_instance = True
        skip_diff = True
        store_instance = True
        use_transactions = False

    def __init__(
        self,
        *,
        reception_point_id: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__()
        self.progress = progress
        self._done = 0
        self._total = 0
        offers = {
            plain(o.name): o for o in Offer.objects.filter(is_withdrawn=False).order_by("name")
        }
        self.fields["offer"].widget = OfferWidget(offers)
        self.reception_point_id = reception_point_id
        self.valid_codes: list[Code] = []
        self._row: dict[str, Any] = {}
        self._lines: dict[str, list[int]] = {}
        self._known: set[str] = set()
        self._today = timezone.localdate()

    @classmethod
    def column_of(cls, attribute: str) -> str:
        field = cls.fields.get(attribute)
        return field.column_name if field is not None else ""

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self._total = len(dataset)
        lines = dataset[LINE_COLUMN]
        found: dict[str, list[int]] = defaultdict(list)
        for column in ("iccid", "numero_serie"):
            if column in (dataset.headers or []):
                for value, line in zip(dataset[column], lines, strict=True):
                    if key := _compact(value):
                        found[key].append(line)
        self._lines = found
        if found:
            self._known = set(
                Code.objects.filter(serial__in=list(found)).values_list("serial", flat=True)
            )

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        self._row = row

    def get_row_result_class(self) -> type[results.RowResult]:
        return _RowResult

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        """Nothing written: no sequence to reset."""

    def after_import_row(self, row: Any, row_result: Any, **kwargs: Any) -> None:
        self._done += 1
        total = self._total or 1
        # Twenty reports over a file, whatever its length (the last row always reports).
        step = self._done * PROGRESS_STEPS // total > (self._done - 1) * PROGRESS_STEPS // total
        if self.progress is not None and (step or self._done == total):
            self.progress(self._done, total)

    def init_instance(self, row: Any = None) -> Code:
        code = Code(
            status=CodeStatus.IN_STOCK,
            reception_point_id=self.reception_point_id,
        )
        code.iccid = ""  # type: ignore[attr-defined]
        code.secret = ""  # type: ignore[attr-defined]
        return code

    def validate_instance(
        self,
        instance: Code,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors: dict[str, list[Any]] = {
            key: list(value) if isinstance(value, list) else [value]
            for key, value in (import_validation_errors or {}).items()
        }

        def add(key: str, message: str) -> None:
            errors.setdefault(key, []).append(ValidationError(message))

        iccid: str = getattr(instance, "iccid", "")
        secret: str = getattr(instance, "secret", "")
        offer = instance.offer if "offer" not in errors else None
        if offer is not None:
            if offer.kind == OfferKind.SIM:
                if "iccid" not in errors and not iccid:
                    add("iccid", _("L'ICCID est obligatoire pour une carte SIM."))
                instance.serial = iccid
            else:
                if "serial" not in errors and not instance.serial:
                    add("serial", _("Le numéro de série est obligatoire pour une recharge."))
                if "secret" not in errors and not secret:
                    add("secret", _("Le code secret est obligatoire pour une recharge."))
                if iccid:
                    add("iccid", _("Un ICCID ne va qu'avec une carte SIM."))
        if instance.expires_on and instance.expires_on < self._today:
            add(
                "expires_on",
                _("Déjà expiré le %(day)s : ce code ne peut pas entrer en stock.")
                % {"day": instance.expires_on.strftime("%d/%m/%Y")},
            )
        key = "iccid" if offer is not None and offer.kind == OfferKind.SIM else "serial"
        value = instance.serial
        if value and key not in errors:
            line = self._row.get(LINE_COLUMN)
            others = [str(n) for n in self._lines.get(value, []) if n != line]
            if others:
                add(
                    key,
                    _("Ce numéro apparaît plusieurs fois dans le fichier (aussi ligne %(lines)s).")
                    % {"lines": ", ".join(others)},
                )
            if value in self._known:
                add(
                    key,
                    _("Ce numéro est déjà enregistré : cette carte ou ce code a déjà été importé."),
                )
        if errors:
            raise ValidationError(errors)
        instance.secret_token = crypto.encrypt(secret) if secret else ""
        instance.secret = ""  # type: ignore[attr-defined]

    def import_field(
        self, field: fields.Field, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any
    ) -> None:
        if field.attribute and field.column_name in row:
            setattr(instance, field.attribute, field.clean(row, **kwargs))

    def do_instance_save(self, instance: Code, is_create: bool) -> None:
        self.valid_codes.append(instance)


class _RowResult(results.RowResult):
    def add_instance_info(self, instance: Any) -> None:
        self.object_id = None
