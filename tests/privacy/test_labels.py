"""The French labels of the audit trail: object kinds and field names, one source (the models)."""

import ast
import importlib
import unicodedata
from pathlib import Path

from django.apps import apps

from solidarnum.privacy import labels

ROOT = Path(__file__).resolve().parents[2] / "solidarnum"


def test_kinds_are_named_by_the_models_verbose_name():
    assert labels.kind_label("beneficiaries.beneficiary") == "Bénéficiaire"
    assert labels.kind_label("equipment.device") == "Appareil"
    assert labels.kind_label("referrals.referral") == "Bon d'orientation"
    assert labels.kind_label("gone.model") == "gone.model"  # a removed model stays readable


def test_fields_are_named_by_their_verbose_name_or_what_they_point_to():
    assert labels.field_label("network.receptionpoint", "phone") == "Téléphone"
    assert labels.field_label("beneficiaries.beneficiary", "merged_into") == "Fusionné dans"
    # A foreign key named after its model, without a verbose name of its own.
    assert labels.field_label("beneficiaries.accessperiod", "beneficiary") == "Bénéficiaire"
    # A reverse relation: the related rows.
    assert labels.field_label("equipment.donation", "items") == "Ligne de don"
    # Names that are not model fields (groups of fields, summaries).
    assert labels.field_label("referrals.referral", "needs") == "Besoins"
    assert labels.field_labels("network.receptionpoint", ["phone", "email"]) == [
        "E-mail",
        "Téléphone",
    ]


def _our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("solidarnum.")]


def test_every_field_of_our_models_has_a_french_label():
    raw = []
    for model in _our_models():
        kind = model._meta.label_lower
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse relations: checked below when the code names them
            if field.name == "id":
                continue
            if labels.field_label(kind, field.name) in (field.name, field.name.replace("_", " ")):
                raw.append(f"{kind}.{field.name}")
    assert raw == []


def _literal_field_names() -> set[str]:
    """Every field name written in a `changed_fields=` of the code, constants resolved."""
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        source = path.read_text()
        if "changed_fields" not in source:
            continue
        module_name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        module = None
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.keyword) and node.arg == "changed_fields"):
                continue
            for part in ast.walk(node.value):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    names.add(part.value)
                elif isinstance(part, ast.Name) and part.id.isupper():
                    module = module or importlib.import_module(
                        module_name.removesuffix(".__init__")
                    )
                    names.update(getattr(module, part.id))
    return names


def test_every_field_name_the_code_writes_has_a_french_label():
    names = _literal_field_names()
    assert {"status", "needs", "items", "can_check_devices"} <= names
    kinds = [m._meta.label_lower for m in _our_models()]
    same_in_french = {"grade"}
    unlabelled = sorted(
        name
        for name in names - same_in_french
        if all(
            labels.field_label(kind, name).casefold() in (name, name.replace("_", " "))
            for kind in kinds
        )
    )
    assert unlabelled == []


def test_the_kind_choices_are_french_sorted_and_leave_out_history_lines():
    choices = labels.kind_choices()
    values = [value for value, _label in choices]
    assert "beneficiaries.beneficiary" in values and "equipment.device" in values
    assert "equipment.deviceevent" not in values  # a line of a device's history
    assert "privacy.auditevent" not in values
    shown = [str(label) for _value, label in choices]
    assert shown == sorted(shown, key=_without_accents)
    assert "Bénéficiaire" in shown


def _without_accents(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()


def test_labels_read_no_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        labels.kind_choices()
        labels.field_labels("beneficiaries.beneficiary", ["first_name", "notes"])
