"""htmx filtering swaps #results from a full render: both answers must carry the same rows."""

import pytest
from django.urls import reverse


def results_block(html: str) -> str:
    start = html.index('<div id="results"')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("network:reception_point_list", {"q": "Paris"}),
        ("network:partner_list", {"is_relay": "true"}),
        ("accounts:user_list", {"role": "staff"}),
        ("privacy:audit_list", {"action": "login"}),
    ],
)
def test_htmx_filter_answer_holds_the_same_results_as_a_full_page(clients, url_name, params):
    url = reverse(url_name)
    full = clients["admin"].get(url, params).content.decode()
    swapped = clients["admin"].get(url, params, headers={"HX-Request": "true"}).content.decode()
    assert results_block(full) == results_block(swapped)
    assert 'hx-select="#results"' in full


def test_htmx_is_added_only_to_a_page_whose_html_carries_hx_attributes():
    from django.template import Context, Template

    page = Template(
        "{% load htmx_tags %}{% htmx_where_used %}<main>{{ body }}</main>{% endhtmx_where_used %}"
    )
    script = '<script src="/static/vendor/htmx/htmx.min.js" defer></script>'
    with_htmx = page.render(Context({"body": Template('<form hx-get="/">').render(Context())}))
    assert script in with_htmx
    assert script not in page.render(Context({"body": "Une note"}))
    # A person's text that looks like an attribute is escaped: it does not load htmx.
    assert script not in page.render(Context({"body": ' hx-get="/"'}))
