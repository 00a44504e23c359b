"""Support's template filters."""

from django import template

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as people read a course's length: "12 h", "1 h 30"."""
    whole, rest = divmod(minutes or 0, 60)
    return f"{whole} h {rest:02d}" if rest else f"{whole} h"
