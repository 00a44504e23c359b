"""htmx is loaded only by the pages that use it (ADR 0027).

`base.html` wraps its body in `{% htmx_where_used %}…{% endhtmx_where_used %}`: the body is
rendered first, and the script tag is added at its end only when the rendered HTML carries an
`hx-` attribute, whoever wrote it: a page, a component it includes, a form widget (the
autocomplete). Nothing to remember when a template starts or stops using htmx.
tests/test_page_assets.py renders every page and fails on `hx-` without htmx or htmx unused.
"""

import re

from django import template
from django.template.base import NodeList, Parser, Token
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SCRIPT = "vendor/htmx/htmx.min.js"
# An attribute, as templates write them (` hx-get="`); escaped text cannot hold the quote.
HX_ATTRIBUTE = re.compile(r"""\shx-[a-z-]+=["']""")


class HtmxWhereUsedNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        html = self.nodelist.render(context)
        if HX_ATTRIBUTE.search(html):
            html += format_html('<script src="{}" defer></script>\n', static(SCRIPT))
        return mark_safe(html)  # noqa: S308 -- rendered by the template engine, escaped there


@register.tag
def htmx_where_used(parser: Parser, token: Token) -> HtmxWhereUsedNode:
    nodelist = parser.parse(("endhtmx_where_used",))
    parser.delete_first_token()
    return HtmxWhereUsedNode(nodelist)
