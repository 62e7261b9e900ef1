"""Small filters for the 模型版本 screens."""

from django import template

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.0347 → "3.5%" ("—" for a missing value)."""
    try:
        return f"{float(value) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def figure(value) -> str:
    """A precision, recall or F1 with three decimals ("—" for a missing value)."""
    try:
        return f"{float(value):.3f}"
    except (TypeError, ValueError):
        return "—"


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    try:
        return mapping.get(key) if hasattr(mapping, "get") else None
    except TypeError:
        return None


@register.filter
def kilobytes(value) -> str:
    try:
        return f"{int(value) / 1024:,.0f} KB"
    except (TypeError, ValueError):
        return "—"
