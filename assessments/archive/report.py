"""The review report of a parsed annex as text lines (the command prints it; the page shows the same facts)."""

from assessments.models import Rating, Trend

from .document import ParsedAnnex


def annex_report_lines(parsed: ParsedAnnex) -> list[str]:
    lines = [
        f"Annex: {parsed.country_name or '?'} {parsed.cycle_year or '?'}"
        + (f", published {parsed.published_on}" if parsed.published_on else ""),
        f"Score printed {parsed.score}, previous ({parsed.previous_year}) {parsed.previous_score}, "
        f"difference {parsed.difference}",
        f"Detailed table: {len(parsed.rows)} rows; footnotes: {len(parsed.footnotes)}; "
        f"new sources proposed: {len(parsed.new_sources)}",
    ]
    for row in parsed.rows:
        rating = Rating(row.rating).label if row.rating else "—"
        trend = Trend(row.trend).label if row.trend else "—"
        lines.append(f"  {row.code or '??':7} {rating:12} {trend:10} {row.title[:70]}")
    inconsistencies, uncertain = parsed.inconsistencies, parsed.uncertain
    lines.append(f"Inconsistencies in the original ({len(inconsistencies)}):")
    lines += [f"  ! {flag.where}: {flag.message}" for flag in inconsistencies] or ["  none"]
    lines.append(f"Uncertain places to check ({len(uncertain)}):")
    lines += [f"  ? {flag.where}: {flag.message}" for flag in uncertain] or ["  none"]
    return lines
