"""The stylesheet's colours, computed from its custom properties (WCAG 2.x contrast ratio): the
focus outline reaches 3:1 (1.4.11 non-text contrast) against the white cards and the grey page,
and every field, date inputs included, shows it (ADR 0027)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "solidarnum" / "static" / "css" / "app.css"


def stylesheet() -> str:
    return re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)


def rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of the top-level rules (media queries are read inside too)."""
    return [
        (selector.strip(), body)
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if not selector.strip().startswith("@")
    ]


def custom_properties(css: str) -> dict[str, str]:
    """The `:root` custom properties, resolved (`var(--x)` replaced); a later one wins."""
    values: dict[str, str] = {}
    for selector, body in rules(css):
        if selector == ":root":
            for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);?", body):
                values[name] = value.strip()

    def resolved(value: str, depth: int = 0) -> str:
        assert depth < 5, value
        return re.sub(r"var\((--[\w-]+)\)", lambda m: resolved(values[m[1]], depth + 1), value)

    return {name: resolved(value) for name, value in values.items()}


def luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_ratio_is_the_wcag_one():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)
    # The former amber outline, as measured on the pages: 2.0:1 on white, 1.9:1 on the page.
    assert contrast("#f2a900", "#ffffff") == pytest.approx(2.0, abs=0.05)
    assert contrast("#f2a900", "#f5f6f8") == pytest.approx(1.9, abs=0.05)


@pytest.mark.parametrize("background", ["--paper", "--canvas"])
def test_the_focus_outline_reaches_3_to_1_against_the_cards_and_the_page(background):
    colours = custom_properties(stylesheet())
    assert colours["--paper"] == "#ffffff"
    assert re.fullmatch(r"3px solid #[0-9a-f]{6}", colours["--focus"])
    assert contrast(colours["--focus-color"], colours[background]) >= 3


def test_text_colours_reach_4_5_to_1_on_the_page_and_the_cards():
    colours = custom_properties(stylesheet())
    for text in ("--ink", "--muted", "--brand", "--brand-dark", "--ok", "--error"):
        for background in ("--paper", "--canvas"):
            assert contrast(colours[text], colours[background]) >= 4.5, (text, background)


def test_every_focus_shows_the_outline_date_inputs_included():
    declarations = dict(rules(stylesheet()))
    assert "outline: var(--focus)" in declarations[":focus-visible"]
    # Fields show it on every focus, not only when the browser judges it "visible".
    fields = next(s for s in declarations if "select:focus" in s and "input:" in s)
    assert "outline: var(--focus)" in declarations[fields]
    assert "date" not in fields  # date inputs are not left out
    assert not any(
        "outline: none" in body or "outline:none" in body
        for selector, body in rules(stylesheet())
        if "focus" in selector and not selector.startswith("main")
    )
