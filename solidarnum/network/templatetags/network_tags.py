from django import template

from solidarnum.network.opening_hours import describe_opening_hours

register = template.Library()


@register.filter
def opening_hours_lines(value: str) -> list[str]:
    """Plain French lines for simple OpenStreetMap opening hours; empty when too complex."""
    return describe_opening_hours(value)
