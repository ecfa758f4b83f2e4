"""Template helpers of the regional overview pages."""

from functools import lru_cache
from html import escape

from django import template
from django.utils.safestring import mark_safe

from assessments.models import Rating, Trend
from assessments.overview.grid import Cell, Column, Row

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


@lru_cache(maxsize=256)
def _cell_state(rating: str, trend: str, status: str) -> tuple[str, str, str]:
    """A cell's class list, content and spoken state ("Strong, Increase (draft)"): a few dozen combinations
    in a whole heatmap, so each is built once, not once per cell."""
    cell = Cell(_NO_COLUMN, rating, trend, "", status)
    classes = f"hm hm-{rating or 'none'}" + (" hm-open" if cell.is_open else "")
    mark = f'<span class="hm-trend" aria-hidden="true">{cell.mark}</span>' if cell.mark else ""
    label = cell.rating_label
    if trend:
        label += f", {cell.trend_label}"
    if cell.is_open:
        label += f" ({cell.status_label.lower()})"
    return classes, f"{cell.short}{mark}", label


@lru_cache(maxsize=512)
def _column_text(code: str, title: str) -> tuple[str, str]:
    """An indicator column's code and "code title", escaped once per column rather than once per cell."""
    return escape(code), f"{escape(code)} {escape(title)}"


_NO_COLUMN = Column(code="", title="", area="")


@register.simple_tag
def heatmap_cells(row: Row) -> str:
    """The <td> cells of one heatmap row, built in Python: 50 × 36 cells through the template engine cost
    hundreds of milliseconds, this costs a few (what a cell says depends only on its rating, trend, status
    and column, so those strings are built once and the per-cell work is one f-string)."""
    name = escape(row.name)
    parts = []
    for cell in row.cells:
        column = cell.column
        classes, content, label = _cell_state(cell.rating, cell.trend, cell.status)
        code, code_title = _column_text(column.code, column.title)
        if cell.url:
            content = f'<a href="{escape(cell.url)}" title="{name} · {code_title}: {label}">{content}</a>'
        parts.append(
            f'<td class="{classes}" data-indicator="{code}" data-rating="{cell.rating}" '
            f'data-trend="{cell.trend}">{content}</td>'
        )
    return mark_safe("".join(parts))
