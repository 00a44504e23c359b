"""htmx is loaded only by the pages that use it (ADR 0027).

A template that writes `hx-` attributes says so with `{% uses_htmx %}`; a component included by
many pages (the filtered table, the scanner) says it itself, so every page that includes it is
covered. A widget that writes them (the autocomplete) cannot reach the request: its class says
`uses_htmx = True`, and a template rendering a form says `{% uses_htmx form %}` (the form
components do), which marks the page only if one of the form's widgets asks. `base.html` ends with `{% htmx_script %}`, which writes the script tag only when
something on the page asked for it: the content block is rendered before the end of the body.
The mark is kept on the request because an included template renders in a context of its own.
tests/test_page_assets.py renders every page and fails on `hx-` without htmx or htmx unused.
"""

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

MARK = "solidarnum_uses_htmx"
SCRIPT = "vendor/htmx/htmx.min.js"


def _asks_for_htmx(form: Any) -> bool:
    fields = getattr(form, "fields", {})
    return any(getattr(field.widget, "uses_htmx", False) for field in fields.values())


@register.simple_tag(takes_context=True)
def uses_htmx(context: template.Context, form: Any = None) -> str:
    request = context.get("request")
    if request is not None and (form is None or _asks_for_htmx(form)):
        setattr(request, MARK, True)
    return ""


@register.simple_tag(takes_context=True)
def htmx_script(context: template.Context) -> SafeString | str:
    request = context.get("request")
    if request is None or not getattr(request, MARK, False):
        return ""
    return format_html('<script src="{}" defer></script>', static(SCRIPT))
