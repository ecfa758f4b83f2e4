"""Rendering notes with footnotes for pages: one query for the sources, whatever the number of items."""

from collections.abc import Sequence

from .render import RenderedAnnex, keys_in, load_sources, render_annex, render_notes


def annex_render(items: Sequence, *, cycle=None) -> RenderedAnnex:
    """Render items given in reading order as the annex numbers them (Ibid. as the cycle says)."""
    sources = load_sources(keys_in(item.notes for item in items))
    ibid = cycle.ibid_enabled if cycle is not None else True
    return render_annex(items, sources=sources, ibid=ibid)


def item_render(item, *, cycle=None) -> RenderedAnnex:
    """One item on its own page: footnotes numbered from 1, full forms on first use within the item."""
    ibid = cycle.ibid_enabled if cycle is not None else True
    rendered = render_notes(item.notes, ibid=ibid)
    rendered.notes = {item.pk: rendered.notes[0]}
    return rendered
