"""Shared validators: text that a spreadsheet would run as a formula is refused at input."""

import pytest
from django.core.exceptions import ValidationError

from solidarnum.common.validators import FORMULA_MESSAGE, validate_spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x","clic")',
        "+33 cmd",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",  # a tab or a line break before the sign does not hide it
        " =1+1",
    ],
)
def test_text_starting_like_a_formula_is_refused_in_french(value):
    with pytest.raises(ValidationError) as error:
        validate_spreadsheet_safe(value)
    assert error.value.messages == [str(FORMULA_MESSAGE)]
    assert error.value.code == "formula_prefix"
    assert "tableur" in str(FORMULA_MESSAGE) and "formule" in str(FORMULA_MESSAGE)


@pytest.mark.parametrize(
    "value", ["", "Bâtiment B, 1er étage", "Bât. A - 2e étage", "contact@example.org", "3 + 2"]
)
def test_ordinary_text_is_accepted(value):
    validate_spreadsheet_safe(value)
