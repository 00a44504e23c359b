"""The django-import-export resource of a batch of devices: one row, one device.

How the library's machinery is used (rather than a hand parser):
- each column is cleaned by a widget below that raises `ValueError` with a French message; the
  library gathers them per row and per field into `Result.invalid_rows`;
- rules across columns or rows (IMEI for phones, erasure columns all or nothing, duplicates in the
  file and in the database) are added in `validate_instance`, with the model's own `full_clean`;
- the resource never writes: a valid row's device (and its erasure) is kept in
  `valid_devices`, and `services.save_devices` writes them all at once, in bulk, in one
  transaction, once every row is right. Reading and checking 2,000 rows thus costs a handful
  of queries (the duplicates are looked up once for the whole file), and the check can report
  its progress (`progress`) while it runs, outside any transaction.
The file itself is read and checked beforehand by `files.read_device_file`.

IMEI rule: required and Luhn-checked for smartphones and basic phones. For the other kinds it is
optional (tablets, mobile hotspots and some laptops carry a cellular modem) but, when given, it is
checked the same way and must be unique: a wrong IMEI is refused, never silently dropped.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, results, widgets

from solidarnum.accounts.scope import Scope
from solidarnum.common.tabular import LINE_COLUMN, plain, text_of
from solidarnum.common.validators import validate_imei, validate_spreadsheet_safe
from solidarnum.equipment.enums import KINDS_WITH_IMEI, DeviceKind, ErasureMethod, ErasureResult
from solidarnum.equipment.models import Device, Donation, ErasureRecord
from solidarnum.equipment.validators import normalize_serial

# A French message, translated now or when shown.
Message = str | Promise


# --- Widgets: one cell to one value, or a French message -----------------------------------------


def _spreadsheet_safe(text: str) -> str:
    """Refuse a cell a spreadsheet would run as a formula (ADR 0018), with the model's message."""
    try:
        validate_spreadsheet_safe(text)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return text


class TextWidget(widgets.Widget):
    def __init__(self, *, max_length: int, required: Message = "") -> None:
        super().__init__()
        self.max_length = max_length
        self.required = required

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        text = text_of(value)
        if not text and self.required:
            raise ValueError(str(self.required))
        if len(text) > self.max_length:
            raise ValueError(
                _("Texte trop long : %(max)s caractères au maximum.") % {"max": self.max_length}
            )
        return _spreadsheet_safe(text)


class SerialWidget(widgets.Widget):
    """Serial numbers as stored: upper case, without spaces or separators."""

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        serial = normalize_serial(text_of(value))
        if not serial:
            raise ValueError(_("Le numéro de série est obligatoire."))
        if len(serial) > 60:
            raise ValueError(_("Numéro de série trop long : 60 caractères au maximum."))
        return _spreadsheet_safe(serial)


class ImeiWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str | None:
        imei = normalize_serial(text_of(value))
        if not imei:
            return None
        problem = ""
        if not imei.isdigit():
            problem = _("un IMEI ne contient que des chiffres.")
        else:
            try:
                validate_imei(imei)
            except ValidationError as error:
                problem = " ".join(error.messages)
        if problem:
            raise ValueError(_("IMEI « %(value)s » : ") % {"value": imei} + problem)
        return imei


class ChoiceWidget(widgets.Widget):
    """A code or one of its French names, compared without case or accents."""

    def __init__(self, names: dict[str, str], *, unknown: Message, required: Message = "") -> None:
        super().__init__()
        self.names = {plain(key): code for key, code in names.items()}
        self.unknown = unknown
        self.required = required

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str | None:
        text = text_of(value)
        if not text:
            if self.required:
                raise ValueError(str(self.required))
            return None
        code = self.names.get(plain(text))
        if code is None:
            raise ValueError(str(self.unknown) % {"value": text})
        return code


def _names(choices: type[Any], extra: dict[str, str]) -> dict[str, str]:
    names = {str(code): str(code) for code in choices.values}
    names.update({str(label): str(code) for code, label in choices.choices})
    names.update(extra)
    return names


KIND_NAMES = _names(
    DeviceKind,
    {
        "portable": DeviceKind.LAPTOP,
        "pc portable": DeviceKind.LAPTOP,
        "ordinateur portable": DeviceKind.LAPTOP,
        "fixe": DeviceKind.DESKTOP,
        "pc fixe": DeviceKind.DESKTOP,
        "unite centrale": DeviceKind.DESKTOP,
        "tour": DeviceKind.DESKTOP,
        "telephone": DeviceKind.SMARTPHONE,
        "mobile": DeviceKind.SMARTPHONE,
        "tablette": DeviceKind.TABLET,
        "telephone simple": DeviceKind.BASIC_PHONE,
        "telephone basique": DeviceKind.BASIC_PHONE,
        "mobile simple": DeviceKind.BASIC_PHONE,
        "borne wifi": DeviceKind.HOTSPOT,
        "borne wi fi": DeviceKind.HOTSPOT,
        "borne": DeviceKind.HOTSPOT,
        "routeur 4g": DeviceKind.HOTSPOT,
        "web trotter": DeviceKind.HOTSPOT,
    },
)
METHOD_NAMES = _names(
    ErasureMethod,
    {
        "reecriture": ErasureMethod.OVERWRITE,
        "ecrasement": ErasureMethod.OVERWRITE,
        "clear": ErasureMethod.OVERWRITE,
        "cryptographique": ErasureMethod.CRYPTO_ERASE,
        "effacement cryptographique": ErasureMethod.CRYPTO_ERASE,
        "purge": ErasureMethod.CRYPTO_ERASE,
        "reinitialisation": ErasureMethod.FACTORY_RESET,
        "reinitialisation d usine": ErasureMethod.FACTORY_RESET,
        "reset": ErasureMethod.FACTORY_RESET,
        "destruction physique": ErasureMethod.DESTRUCTION,
    },
)
RESULT_NAMES = _names(
    ErasureResult,
    {"reussi": "success", "reussie": "success", "succes": "success", "ok": "success"},
)
RESULT_NAMES.update({"echec": "failure", "ko": "failure", "echoue": "failure"})


class IntegerWidget(widgets.Widget):
    """A whole number within bounds; a unit after it (Go, %) is tolerated."""

    def __init__(self, *, minimum: int, maximum: int, out_of_range: Message) -> None:
        super().__init__()
        self.minimum = minimum
        self.maximum = maximum
        self.out_of_range = out_of_range

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = _number(value)
        if number is None or number != number.to_integral_value():
            raise ValueError(
                _("« %(value)s » n'est pas un nombre entier.") % {"value": text_of(value)}
            )
        if not self.minimum <= number <= self.maximum:
            raise ValueError(str(self.out_of_range))
        return int(number)


class ScreenWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = _number(value)
        if number is None:
            raise ValueError(
                _("« %(value)s » n'est pas un nombre (exemple : 15,6).") % {"value": text_of(value)}
            )
        if not Decimal(1) <= number <= Decimal(50):
            raise ValueError(_("La taille d'écran doit être comprise entre 1 et 50 pouces."))
        return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_UNITS = re.compile(r"\s*(go|gb|%|pouces|pouce|\"|'')$", re.IGNORECASE)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = _UNITS.sub("", str(value).strip()).replace("\u202f", "").replace(" ", "")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


class GradeWidget(widgets.Widget):
    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str:
        grade = text_of(value).upper()
        if grade not in ("", "A", "B", "C"):
            raise ValueError(_("Le grade doit être A, B ou C (ou laissé vide)."))
        return grade


class ErasureDateWidget(widgets.Widget):
    FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            text = text_of(value)
            if not text:
                return None
            day = self._parse(text)
        if day > timezone.localdate():
            raise ValueError(_("La date d'effacement ne peut pas être dans le futur."))
        return day

    def _parse(self, text: str) -> date:
        # A time after an ISO date (spreadsheets exported as CSV) is ignored.
        head = text.split("T")[0].split(" ")[0]
        for pattern in self.FORMATS:
            try:
                # A calendar date: parsed without building a (naive) datetime.
                return date(*time.strptime(head, pattern)[:3])
            except ValueError:
                continue
        raise ValueError(
            _("Date illisible « %(value)s » : écrivez-la jj/mm/aaaa (ex. 15/09/2026).")
            % {"value": text}
        )


# --- The resource --------------------------------------------------------------------------------

# Device fields the file does not set: left out of the per-row model validation (they would
# each cost a query, and they are set by the import itself).
_NOT_FROM_FILE = [
    "donation",
    "batch",
    "refurbisher",
    "reception_point",
    "transfer",
    "reserved_for",
    "sold_to",
    "status",
    "status_changed_at",
]
# Erasure attributes carried on the (unsaved) device while a row is validated.
_ERASURE_FIELDS = {
    "erasure_method": "method",
    "erasure_tool": "tool",
    "erasure_on": "performed_on",
    "erasure_operator": "operator",
    "erasure_result": "result",
}


class DeviceResource(resources.ModelResource):
    """One row, one device; see the module docstring for the rules."""

    kind = fields.Field(
        attribute="kind",
        column_name="type",
        widget=ChoiceWidget(
            KIND_NAMES,
            unknown=gettext_lazy(
                "Type d'appareil inconnu : « %(value)s ». Types acceptés : portable, fixe, "
                "smartphone, tablette, téléphone simple, borne wifi."
            ),
            required=gettext_lazy("Le type d'appareil est obligatoire."),
        ),
    )
    brand = fields.Field(
        attribute="brand",
        column_name="marque",
        widget=TextWidget(max_length=60, required=gettext_lazy("La marque est obligatoire.")),
    )
    model_name = fields.Field(
        attribute="model_name",
        column_name="modele",
        widget=TextWidget(max_length=120, required=gettext_lazy("Le modèle est obligatoire.")),
    )
    serial_number = fields.Field(
        attribute="serial_number", column_name="numero_serie", widget=SerialWidget()
    )
    imei = fields.Field(attribute="imei", column_name="imei", widget=ImeiWidget())
    processor = fields.Field(
        attribute="processor", column_name="processeur", widget=TextWidget(max_length=120)
    )
    ram_gb = fields.Field(
        attribute="ram_gb",
        column_name="ram_go",
        widget=IntegerWidget(
            minimum=0,
            maximum=1024,
            out_of_range=gettext_lazy("La mémoire vive doit être comprise entre 0 et 1024 Go."),
        ),
    )
    storage_gb = fields.Field(
        attribute="storage_gb",
        column_name="stockage_go",
        widget=IntegerWidget(
            minimum=0,
            maximum=100_000,
            out_of_range=gettext_lazy("Le stockage doit être compris entre 0 et 100 000 Go."),
        ),
    )
    screen_inches = fields.Field(
        attribute="screen_inches", column_name="ecran_pouces", widget=ScreenWidget()
    )
    operating_system = fields.Field(
        attribute="operating_system", column_name="systeme", widget=TextWidget(max_length=80)
    )
    grade = fields.Field(attribute="grade", column_name="grade", widget=GradeWidget())
    battery_health = fields.Field(
        attribute="battery_health",
        column_name="batterie_pct",
        widget=IntegerWidget(
            minimum=0,
            maximum=100,
            out_of_range=gettext_lazy(
                "La santé de la batterie est un pourcentage : entre 0 et 100."
            ),
        ),
    )
    erasure_method = fields.Field(
        attribute="erasure_method",
        column_name="effacement_methode",
        widget=ChoiceWidget(
            METHOD_NAMES,
            unknown=gettext_lazy(
                "Méthode d'effacement inconnue : « %(value)s ». Méthodes acceptées : "
                "réécriture, cryptographique, réinitialisation, destruction."
            ),
        ),
    )
    erasure_tool = fields.Field(
        attribute="erasure_tool", column_name="effacement_outil", widget=TextWidget(max_length=120)
    )
    erasure_on = fields.Field(
        attribute="erasure_on", column_name="effacement_date", widget=ErasureDateWidget()
    )
    erasure_operator = fields.Field(
        attribute="erasure_operator",
        column_name="effacement_operateur",
        widget=TextWidget(max_length=120),
    )
    erasure_result = fields.Field(
        attribute="erasure_result",
        column_name="effacement_resultat",
        widget=ChoiceWidget(
            RESULT_NAMES,
            unknown=gettext_lazy(
                "Résultat d'effacement inconnu : « %(value)s ». Écrivez « réussi » ou « échec »."
            ),
        ),
    )

    class Meta:
        model = Device
        fields = (
            "kind",
            "brand",
            "model_name",
            "serial_number",
            "imei",
            "processor",
            "ram_gb",
            "storage_gb",
            "screen_inches",
            "operating_system",
            "grade",
            "battery_health",
            "erasure_method",
            "erasure_tool",
            "erasure_on",
            "erasure_operator",
            "erasure_result",
        )
        import_order = fields
        force_init_instance = True  # every row is a new device: never update one
        skip_diff = True
        store_instance = True  # the preview shows the cleaned rows
        use_transactions = False  # nothing is written here (see `do_instance_save`)

    def __init__(
        self,
        *,
        scope: Scope,
        donation: Donation,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__()
        self.scope = scope
        self.donation = donation
        self.progress = progress
        # The valid rows' devices, unsaved, each with its erasure record when the file has one.
        self.valid_devices: list[tuple[Device, ErasureRecord | None]] = []
        self._done = 0
        self._total = 0
        self._row: dict[str, Any] = {}
        # The row's erasure, built by `_check_erasure` when its columns are filled in.
        self._erasure: ErasureRecord | None = None
        self._serial_lines: dict[str, list[int]] = {}
        self._imei_lines: dict[str, list[int]] = {}
        self._known_serials: set[str] = set()
        self._known_imeis: set[str] = set()

    @classmethod
    def column_of(cls, attribute: str) -> str:
        """The file column of a validation error's key ("" for a whole-row error)."""
        field = cls.fields.get(attribute)
        return field.column_name if field is not None else ""

    # The whole file, before the first row: duplicates in it and in the database (two queries).
    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self._total = len(dataset)
        lines = dataset[LINE_COLUMN]
        self._serial_lines = self._lines_by_value(dataset, "numero_serie", lines)
        self._imei_lines = self._lines_by_value(dataset, "imei", lines)
        if self._serial_lines:
            self._known_serials = set(
                Device.objects.filter(serial_number__in=list(self._serial_lines)).values_list(
                    "serial_number", flat=True
                )
            )
        if self._imei_lines:
            self._known_imeis = {
                imei
                for imei in Device.objects.filter(imei__in=list(self._imei_lines)).values_list(
                    "imei", flat=True
                )
                if imei
            }

    @staticmethod
    def _lines_by_value(
        dataset: tablib.Dataset, column: str, lines: list[int]
    ) -> dict[str, list[int]]:
        found: dict[str, list[int]] = defaultdict(list)
        if column not in (dataset.headers or []):
            return found
        for value, line in zip(dataset[column], lines, strict=True):
            key = normalize_serial(text_of(value))
            if key:
                found[key].append(line)
        return found

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        self._row = row
        self._erasure = None

    def get_row_result_class(self) -> type[results.RowResult]:
        return _RowResult

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        """Nothing to do: the library would reset the table's id sequence after writing rows,
        and this resource writes none."""

    def after_import_row(self, row: Any, row_result: Any, **kwargs: Any) -> None:
        self._done += 1
        if self.progress is not None and _progress_step(self._done, self._total):
            self.progress(self._done, self._total)

    def init_instance(self, row: Any = None) -> Device:
        device = Device(donation=self.donation, refurbisher_id=self.donation.refurbisher_id)
        for attribute in _ERASURE_FIELDS:
            setattr(device, attribute, None)
        return device

    def validate_instance(
        self,
        instance: Device,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors: dict[str, list[Any]] = {
            key: list(value) if isinstance(value, list) else [value]
            for key, value in (import_validation_errors or {}).items()
        }

        def add(key: str, message: str) -> None:
            errors.setdefault(key, []).append(ValidationError(message))

        line = self._row.get(LINE_COLUMN)
        self._check_duplicates(instance, line, add, errors)
        if (
            "kind" not in errors
            and "imei" not in errors
            and instance.kind in KINDS_WITH_IMEI
            and not instance.imei
        ):
            add(
                "imei",
                _("L'IMEI est obligatoire pour un %(kind)s.")
                % {"kind": str(DeviceKind(instance.kind).label).lower()},
            )
        self._check_erasure(instance, add, errors)
        try:
            # Uniqueness is checked above for the whole file at once; the check constraints
            # hold by construction (new device, no place, no reservation, battery <= 100).
            instance.full_clean(
                exclude=[*errors, *_NOT_FROM_FILE, *_ERASURE_FIELDS],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _check_duplicates(
        self, instance: Device, line: Any, add: Any, errors: dict[str, Any]
    ) -> None:
        checks = (
            ("serial_number", instance.serial_number, self._serial_lines, self._known_serials),
            ("imei", instance.imei, self._imei_lines, self._known_imeis),
        )
        for key, value, lines, known in checks:
            if key in errors or not value:
                continue
            others = [str(n) for n in lines.get(value, []) if n != line]
            if not others and value not in known:
                continue
            what = _("Ce numéro de série") if key == "serial_number" else _("Cet IMEI")
            if others:
                add(
                    key,
                    _("%(what)s apparaît plusieurs fois dans le fichier (aussi ligne %(lines)s).")
                    % {"what": what, "lines": ", ".join(others)},
                )
            if value in known:
                add(
                    key,
                    _("%(what)s est déjà enregistré : cet appareil a déjà été importé.")
                    % {"what": what},
                )

    def _check_erasure(self, instance: Device, add: Any, errors: dict[str, Any]) -> None:
        columns = [self.column_of(attribute) for attribute in _ERASURE_FIELDS]
        present = [column for column in columns if text_of(self._row.get(column, "")) != ""]
        if not present or any(attribute in errors for attribute in _ERASURE_FIELDS):
            return
        missing = [column for column in columns if column not in present]
        if missing:
            add(
                NON_FIELD_ERRORS,
                _(
                    "Effacement incomplet : renseignez aussi %(missing)s, ou laissez vides les "
                    "cinq colonnes d'effacement."
                )
                % {"missing": ", ".join(missing)},
            )
            return
        record = self._erasure_of(instance)
        self._erasure = record
        try:
            record.full_clean(
                exclude=["device", "certificate", "recorded_by", "recorded_at"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            by_field = {target: attribute for attribute, target in _ERASURE_FIELDS.items()}
            for name, messages in error.message_dict.items():
                for message in messages:
                    add(by_field.get(name, NON_FIELD_ERRORS), message)

    @staticmethod
    def _erasure_of(instance: Device) -> ErasureRecord:
        return ErasureRecord(
            **{
                target: getattr(instance, attribute)
                for attribute, target in _ERASURE_FIELDS.items()
            }
        )

    def do_instance_save(self, instance: Device, is_create: bool) -> None:
        """Keep the valid row's device; `services.save_devices` writes them all."""
        # Validated with the row (`_check_erasure`); who may record it is checked once for the
        # whole file, and the batch's audit line covers its devices and their erasures.
        self.valid_devices.append((instance, self._erasure))


class _RowResult(results.RowResult):
    def add_instance_info(self, instance: Any) -> None:
        """The library keeps `str(device)` of every row for its admin log, which this import
        does not write; it costs a translated label per row."""
        self.object_id = getattr(instance, "pk", None)


# Progress is reported this many times over a file, whatever its length.
PROGRESS_STEPS = 20


def _progress_step(done: int, total: int) -> bool:
    """Whether row `done` of `total` crosses one of the PROGRESS_STEPS marks (the last row
    always does)."""
    return done == total or done * PROGRESS_STEPS // total > (done - 1) * PROGRESS_STEPS // total
