"""Notes rendered with numbered footnotes: `{% notes_html annex item %}` with an annex from citations.pages."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def notes_html(annex, item) -> str:
    """The item's notes as rendered in the annex (sanitised by the renderer), or nothing."""
    rendered = annex.notes.get(item.pk) if annex is not None and item is not None else None
    return mark_safe(rendered.html) if rendered else ""  # noqa: S308 (sanitised with nh3 in render.py)


@register.simple_tag
def unknown_keys_of(annex, item) -> list:
    rendered = annex.notes.get(item.pk) if annex is not None and item is not None else None
    return rendered.unknown_keys if rendered else []


@register.filter
def link_result_visible(source, user) -> bool:
    """Whether `user` may see the link checker's result for `source`.

    Editors and admins see every result. Others see only answers the checker got from a public server (an HTTP
    status), which they could get themselves; a failure's detail (refused address, connection error) tells
    something about networks they cannot reach, so it is shown to editors only.
    """
    from assessments.workflow.permissions import is_admin, is_editor

    if user is not None and (is_editor(user) or is_admin(user)):
        return True
    return source.link_status is not None


@register.simple_tag
def cited_notes(text: str, anchor: str, sources=None) -> str:
    """Notes as people read them: citations rendered in the house style as numbered footnotes below the text.

    `anchor` keeps footnote ids unique on a page that shows several notes; `sources` (key → Source) may be passed
    by a view that shows many notes, so they cost one query in all."""
    from django.template.loader import render_to_string

    from assessments.citations.render import render_notes

    if not (text or "").strip():
        return ""
    rendered = render_notes(text, sources=sources)
    html = (
        rendered.notes[0]
        .html.replace('id="fnref-', f'id="{anchor}-fnref-')
        .replace('href="#fn-', f'href="#{anchor}-fn-')
    )
    footnotes = render_to_string("citations/_note_footnotes.html", {"footnotes": rendered.footnotes, "anchor": anchor})
    return mark_safe(html + footnotes)  # noqa: S308 (sanitised with nh3 in render.py; the template escapes)
