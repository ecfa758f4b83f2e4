"""Template helpers of the regional overview pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from assessments.models import Rating, Trend
from assessments.overview.grid import Row

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict value by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def rating_label(value: str) -> str:
    """A stored rating value as its label ("very_strong" → "Very Strong")."""
    return Rating(value).label if value in Rating.values else ""


@register.filter
def trend_label(value: str) -> str:
    return Trend(value).label if value in Trend.values else ""


@register.simple_tag
def heatmap_cells(row: Row) -> str:
    """The <td> cells of one heatmap row, built in Python: 40 × 36 cells through the template engine cost
    hundreds of milliseconds, this costs a few."""
    name = escape(row.name)
    parts = []
    for cell in row.cells:
        column = cell.column
        classes = f"hm hm-{cell.rating or 'none'}" + (" hm-open" if cell.is_open else "")
        mark = f'<span class="hm-trend" aria-hidden="true">{cell.mark}</span>' if cell.mark else ""
        content = f"{cell.short}{mark}"
        if cell.url:
            title = f"{name} · {escape(column.code)} {escape(column.title)}: {cell.rating_label}"
            if cell.trend:
                title += f", {cell.trend_label}"
            if cell.is_open:
                title += f" ({cell.status_label.lower()})"
            content = f'<a href="{escape(cell.url)}" title="{title}">{content}</a>'
        parts.append(
            f'<td class="{classes}" data-indicator="{escape(column.code)}" data-rating="{cell.rating}" '
            f'data-trend="{cell.trend}">{content}</td>'
        )
    return mark_safe("".join(parts))
