"""Choosing one among thousands: a text field with suggestions instead of a long select.

A `<select>` of every partner structure (3,000), reception point (300) or donor company costs
a query, the whole list in the HTML and a long walk for a keyboard. The field here renders a
text input and a hidden input (ADR 0024):

- with JavaScript, typing asks the field's suggestion URL (htmx) for at most `LIMIT` matches,
  shown as a listbox (arrows, Enter, Escape: `static/js/app.js`); choosing one fills the hidden
  input with its id, the value the form reads first;
- without JavaScript, the typed text is submitted as is: one match (or one exact name) is
  taken, several or none give a French error naming what to do.

Suggestion views are ordinary views: an access rule, a scoped queryset, one query, a small
fragment (`suggestions`). A form posting an id under the field's name (tests, the API-like
clients) keeps working: the id is checked against the same scoped queryset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

LIMIT = 20
MAX_TEXT = 100  # longer input is cut: a name is never that long
MAX_WORDS = 5
TEXT_SUFFIX = "_text"
_FIELD_ID = re.compile(r"^[A-Za-z][\w-]{0,80}$")


def clean_text(value: Any) -> str:
    """Text as typed, made safe to search: no NUL (PostgreSQL refuses it), bounded length."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", "").split())[:MAX_TEXT]


def text_condition(text: str, fields: Sequence[str]) -> Q:
    """Every word of `text` in one of `fields` (case ignored)."""
    condition = Q()
    for word in text.split()[:MAX_WORDS]:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


class AutocompleteWidget(forms.Widget):
    template_name = "common/autocomplete.html"

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        # The name of an id given without its text (set by the field; one query).
        self.label_for: Callable[[Any], str] = str

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (data.get(name) or "", clean_text(data.get(name + TEXT_SUFFIX)))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + TEXT_SUFFIX not in data

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        pk, text = "", ""
        if isinstance(value, tuple):  # submitted: what was typed and chosen
            pk, text = value
        elif value not in (None, ""):  # an initial value: its id
            pk = str(value)
        if pk and not text:
            text = self.label_for(pk)
        widget = context["widget"]
        widget.update(
            pk=pk,
            text=text,
            text_name=name + TEXT_SUFFIX,
            url=reverse(self.url_name),
            results_id=f"{widget['attrs'].get('id') or name}-results",
            status_id=f"{widget['attrs'].get('id') or name}-status",
        )
        return context


class AutocompleteField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One object of `queryset`, chosen by id (suggestion picked) or by its typed name."""

    default_error_messages = {
        **forms.ModelChoiceField.default_error_messages,
        "no_match": _("Aucun résultat pour « %(text)s » : vérifiez l'orthographe."),
        "several": _(
            "Plusieurs résultats pour « %(text)s » (%(names)s…) : précisez le nom, ou choisissez "
            "dans les suggestions."
        ),
    }

    def __init__(
        self,
        queryset: Any,
        *,
        url_name: str,
        search_fields: Sequence[str] = ("name",),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", AutocompleteWidget(url_name))
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, **kwargs)
        self.search_fields = tuple(search_fields)
        self.widget.label_for = self.label_for

    def __deepcopy__(self, memo: dict[int, Any]) -> AutocompleteField:
        # Each form works on a copy of the field (often with its own queryset): its widget must
        # name an initial id from that copy, not from the class's field.
        result = super().__deepcopy__(memo)
        result.widget.label_for = result.label_for
        return result

    def to_python(self, value: Any) -> Any:
        pk, text = value if isinstance(value, tuple) else (value, "")
        if pk not in self.empty_values:
            return super().to_python(pk)
        if not text or self.queryset is None:
            return None
        matches = list(
            self.queryset.filter(text_condition(text, self.search_fields)).order_by()[:LIMIT]
        )
        exact = [m for m in matches if self.label_from_instance(m).casefold() == text.casefold()]
        if len(matches) == 1 or len(exact) == 1:
            return exact[0] if exact else matches[0]
        if not matches:
            raise ValidationError(self.error_messages["no_match"], "no_match", {"text": text})
        names = ", ".join(self.label_from_instance(m) for m in matches[:3])
        raise ValidationError(
            self.error_messages["several"], "several", {"text": text, "names": names}
        )

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, tuple) else super().prepare_value(value)

    def label_for(self, pk: Any) -> str:
        """The name of a chosen id shown again without its typed text (one query)."""
        queryset = self.queryset
        if queryset is None:
            return ""
        try:
            return self.label_from_instance(queryset.get(pk=pk))
        except (ValueError, TypeError, ValidationError, queryset.model.DoesNotExist):
            return ""

    def has_changed(self, initial: Any, data: Any) -> bool:
        pk = data[0] if isinstance(data, tuple) else data
        return str(pk or "") != str(self.prepare_value(initial) or "")


class AutocompleteFilter(django_filters.ModelChoiceFilter):
    """A django-filter on one object chosen with `AutocompleteField` (the queryset may be a
    callable taking the request, as for `ModelChoiceFilter`)."""

    field_class = AutocompleteField


def suggestions(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    search_fields: Sequence[str] = ("name",),
    label: Callable[[Any], str] = str,
    hint: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """The fragment of at most `LIMIT` matches for what was typed (one query).

    The typed text comes as `<field>_text` (the widget's text input), or `q`."""
    text = clean_text(
        next((v for k, v in request.GET.items() if k.endswith(TEXT_SUFFIX)), "")
        or request.GET.get("q", "")
    )
    field_id = request.GET.get("for", "")
    if not _FIELD_ID.match(field_id):
        field_id = "suggestion"
    matches = list(queryset.filter(text_condition(text, search_fields))[: LIMIT + 1])
    more = len(matches) > LIMIT
    matches = matches[:LIMIT]
    status: str
    if more:
        status = str(_("Plus de %(n)d résultats : précisez votre recherche.")) % {"n": LIMIT}
    elif matches:
        status = ngettext(
            "%(n)d résultat, à choisir avec les flèches puis Entrée.",
            "%(n)d résultats, à choisir avec les flèches puis Entrée.",
            len(matches),
        ) % {"n": len(matches)}
    else:
        status = str(_("Aucun résultat."))
    options = [
        {
            "id": f"{field_id}-option-{obj.pk}",
            "value": obj.pk,
            "label": label(obj),
            "hint": hint(obj) if hint else "",
        }
        for obj in matches
    ]
    context = {"options": options, "status": status, "status_id": f"{field_id}-status"}
    return render(request, "components/autocomplete_results.html", context)
