"""Name the objects of audit rows as the UI names them, with a link when the viewer may open them.

An audit row holds a kind (`app.model`) and an id, which mean nothing to a reader. `describe`
turns a page of rows into "7KQ2MX", "SN00000012 · Lenovo ThinkPad T480" or "Awa Diallo", each
with the URL of the object's page when the viewer may open it: the page's access rule allows the
viewer's role and the object is in the viewer's scoped selector (`<noun>s_for(scope)`, the one
place that decides who sees what). A person's name is shown only to who may open the file.

Batched: one query per kind present on the page, whatever the number of rows.

The selectors are named by dotted path and imported when used: privacy is imported by every
app and imports none at load time.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import resolve, reverse
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from solidarnum.accounts.scope import Scope

Key = tuple[str, str]  # (object type, object id) as stored in the trail


@dataclass(frozen=True)
class ObjectRef:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Kind:
    """How to name one kind of object, find it by what the UI shows, and open its page."""

    values: tuple[str, ...] = ()  # fields naming the object, joined by " · "
    text: Callable[[dict[str, Any]], str] | None = None  # or a sentence built from them
    url_name: str | Callable[[Scope], str] = ""
    url_arg: str = "pk"  # the field given to the URL
    selector: str = ""  # dotted path of `<noun>s_for(scope)`
    lookups: tuple[str, ...] = ()  # fields a reader may type to find the object (exact match)
    via: str = ""  # a row of another object (a note of a file): named as that object
    # Personal data: `values` only for who may open the object, `hidden` (a text) otherwise.
    hidden: Callable[[dict[str, Any]], str] | None = None
    extra: tuple[str, ...] = field(default=())  # fields `hidden` needs


def _full_name(row: dict[str, Any]) -> str:
    return f"{row['first_name']} {row['last_name']}".strip()


def _user(row: dict[str, Any]) -> str:
    return f"{_full_name(row)} · {row['email']}" if _full_name(row) else row["email"]


def _person_elsewhere(row: dict[str, Any]) -> str:
    return _("Personne suivie à %(place)s") % {"place": row["reception_point__name"]}


def _device(row: dict[str, Any]) -> str:
    return f"{row['serial_number']} · {row['brand']} {row['model_name']}"


def _referral_page(scope: Scope) -> str:
    from solidarnum.accounts.enums import Role

    return (
        "referrals:referent_referral_detail"
        if scope.role == Role.REFERENT
        else "referrals:referral_detail"
    )


KINDS: dict[str, Kind] = {
    "beneficiaries.beneficiary": Kind(
        values=("first_name", "last_name"),
        text=_full_name,
        url_name="beneficiaries:beneficiary_detail",
        url_arg="public_id",
        selector="solidarnum.beneficiaries.selectors.beneficiaries_for",
        lookups=("public_id",),
        hidden=_person_elsewhere,
        extra=("reception_point__name",),
    ),
    "beneficiaries.accessperiod": Kind(via="beneficiary"),
    "beneficiaries.diagnostic": Kind(via="beneficiary"),
    "beneficiaries.staffnote": Kind(via="beneficiary"),
    "referrals.referral": Kind(
        values=("reference",),
        url_name=_referral_page,
        url_arg="reference",
        selector="solidarnum.referrals.selectors.referrals_for",
        lookups=("reference",),
    ),
    "referrals.refusalreason": Kind(values=("label",)),
    "equipment.device": Kind(
        values=("serial_number", "brand", "model_name"),
        text=_device,
        url_name="equipment:device_detail",
        selector="solidarnum.equipment.selectors.devices_for",
        lookups=("serial_number", "imei"),
    ),
    "equipment.erasurerecord": Kind(via="device"),
    "equipment.devicecheck": Kind(via="device"),
    "equipment.donation": Kind(
        values=("reference", "donor__name"),
        url_name="equipment:donation_detail",
        selector="solidarnum.equipment.selectors.donations_for",
        lookups=("reference",),
    ),
    "equipment.importbatch": Kind(
        values=("reference",),
        url_name="equipment:batch_detail",
        selector="solidarnum.equipment.selectors.batches_for",
        lookups=("reference",),
    ),
    "equipment.transfer": Kind(
        values=("reference",),
        url_name="equipment:transfer_detail",
        selector="solidarnum.equipment.selectors.transfers_for",
        lookups=("reference",),
    ),
    "equipment.stockcount": Kind(
        values=("reception_point__name", "started_at"),
        url_name="equipment:stock_count_detail",
        selector="solidarnum.equipment.selectors.stock_counts_for",
    ),
    "equipment.price": Kind(values=("kind", "grade", "valid_from")),
    "accounts.user": Kind(
        values=("first_name", "last_name", "email"), text=_user, lookups=("email",)
    ),
    "accounts.membership": Kind(via="user"),
    "accounts.invitation": Kind(values=("email",), lookups=("email",)),
    "api.apitoken": Kind(values=("name", "user__email")),
    "support.coursetemplate": Kind(
        values=("name",),
        url_name="support:course_template_detail",
        selector="solidarnum.support.selectors.course_templates_for",
    ),
    "support.coursemodule": Kind(values=("title", "template__name")),
    "support.templatesession": Kind(values=("title", "module__title")),
    "network.receptionpoint": Kind(
        values=("name",),
        url_name="network:reception_point_detail",
        selector="solidarnum.network.selectors.reception_points_for",
    ),
    "network.partnerstructure": Kind(
        values=("name",),
        url_name="network:partner_detail",
        selector="solidarnum.network.selectors.partner_structures_for",
        lookups=("siret",),
    ),
    "network.donorcompany": Kind(
        values=("name",),
        url_name="network:donor_detail",
        selector="solidarnum.network.selectors.donors_for",
        lookups=("siret",),
    ),
    "network.refurbishingpartner": Kind(
        values=("name",),
        url_name="network:refurbisher_detail",
        selector="solidarnum.network.selectors.refurbishers_for",
        lookups=("siret",),
    ),
}


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _pks(ids: Iterable[str]) -> list[int]:
    return sorted({int(i) for i in ids if i.isdigit()})


def _field_of(model: type[models.Model], path: str) -> models.Field[Any, Any] | None:
    current: Any = model
    found = None
    for part in path.split("__"):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        current = found.related_model
    return found


def _shown(model: type[models.Model], path: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    model_field = _field_of(model, path)
    if model_field is not None and model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _text(model: type[models.Model], kind: Kind, row: dict[str, Any]) -> str:
    if kind.text is not None:
        return kind.text(row)
    parts = [_shown(model, path, row[path]) for path in kind.values]
    return " · ".join(p for p in parts if p)


class _Pages:
    """The access rule of each object page, read once per request from the URL resolver."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.allowed: dict[str, bool] = {}

    def url(self, url_name: str, arg: Any) -> str:
        from solidarnum.accounts.access import rule_of

        # A renamed page fails tests/privacy/test_audit.py (every kind names a page that exists).
        url = reverse(url_name, args=[arg])
        if url_name not in self.allowed:
            rule = rule_of(resolve(url).func)
            self.allowed[url_name] = rule is not None and rule.allows(self.scope)
        return url if self.allowed[url_name] else ""


def _describe_kind(
    scope: Scope, pages: _Pages, object_type: str, kind: Kind, pks: list[int]
) -> dict[int, ObjectRef]:
    model = _model(object_type)
    assert model is not None
    fields = {"pk", *kind.values, *kind.extra}
    url_name = kind.url_name(scope) if callable(kind.url_name) else kind.url_name
    if url_name:
        fields.add(kind.url_arg)
    rows = model._default_manager.filter(pk__in=pks)
    if kind.selector and url_name:
        visible = import_string(kind.selector)(scope).filter(pk=OuterRef("pk"))
        rows = rows.annotate(can_open=Exists(visible))
        fields.add("can_open")
    refs = {}
    for row in rows.values(*fields):
        can_open = bool(row.get("can_open"))
        if kind.hidden is not None and not can_open:
            text = kind.hidden(row)
        else:
            text = _text(model, kind, row)
        url = pages.url(url_name, row[kind.url_arg]) if can_open else ""
        refs[row["pk"]] = ObjectRef(text=text, url=url)
    return refs


def describe(scope: Scope, keys: Iterable[Key]) -> dict[Key, ObjectRef]:
    """`ObjectRef` of every (kind, id): one query per kind, one more per kind named "via"."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in keys:
        wanted[object_type].add(object_id)
    # Rows of another object (notes, erasures, memberships) are named as that object.
    parents: dict[Key, Key] = {}
    for object_type, ids in list(wanted.items()):
        kind = KINDS.get(object_type)
        model = _model(object_type)
        if kind is None or not kind.via or model is None:
            continue
        parent_model = model._meta.get_field(kind.via).related_model
        assert isinstance(parent_model, type)
        parent_type = parent_model._meta.label_lower
        column = f"{kind.via}_id"
        for pk, parent_pk in model._default_manager.filter(pk__in=_pks(ids)).values_list(
            "pk", column
        ):
            parents[(object_type, str(pk))] = (parent_type, str(parent_pk))
            wanted[parent_type].add(str(parent_pk))
    pages = _Pages(scope)
    refs: dict[Key, ObjectRef] = {}
    for object_type, ids in wanted.items():
        kind = KINDS.get(object_type)
        if kind is None or kind.via:
            continue
        found = _describe_kind(scope, pages, object_type, kind, _pks(ids))
        refs.update({(object_type, str(pk)): ref for pk, ref in found.items()})
    result = {}
    for key in {(t, i) for t, ids in wanted.items() for i in ids}:
        key_found = parents.get(key, key)
        if key_found in refs:
            result[key] = refs[key_found]
        elif key[0] in KINDS and _model(key[0]) is not None:
            result[key] = ObjectRef(text=_("supprimé"))
        else:
            result[key] = ObjectRef(text=_("n° %(id)s") % {"id": key[1]})
    return result


def object_ids_matching(object_type: str, typed: str) -> Q:
    """The trail's `object_id` condition for what a reader typed: the stored id, or an
    identifier the UI shows (a referral's code, a serial number, a file's public id)."""
    typed = typed.strip()
    condition = Q(object_id=typed)
    kind = KINDS.get(object_type)
    model = _model(object_type)
    if kind is None or model is None or not kind.lookups or not typed:
        return condition
    match = Q()
    for name in kind.lookups:
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.UUIDField):
            try:
                match |= Q(**{name: uuid.UUID(typed)})
            except ValueError:
                continue
        else:
            match |= Q(**{f"{name}__iexact": typed})
    if not match:
        return condition
    found = (
        model._default_manager.filter(match)
        .annotate(pk_text=Cast("pk", models.CharField()))
        .values("pk_text")
    )
    return condition | Q(object_id__in=found)
