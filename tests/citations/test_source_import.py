"""CSL-JSON (Zotero) and BibTeX import: dry run first, per-entry errors, lossless round trip, idempotent."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.citations.source_import import ImportFormatError, sources_export, sources_import
from assessments.citations.sources import source_fields_from_csl, source_to_csl
from assessments.models import Citation, Source
from tests.factories import UserFactory

DATA = Path(__file__).parents[1] / "data"
ZOTERO = (DATA / "zotero-export.json").read_text(encoding="utf-8")
BIBTEX = (DATA / "sources.bib").read_text(encoding="utf-8")


def snapshot():
    """Every source's fields plus the number of history rows: what "no changes" means."""
    return [(source.key, source_to_csl(source)) for source in Source.objects.order_by("key")], Source.history.count()


@pytest.fixture
def researcher(db):
    return UserFactory(username="importer", role="Researcher")


def test_dry_run_writes_nothing(researcher):
    report = sources_import(content=ZOTERO, filename="zotero-export.json", user=researcher, dry_run=True)
    assert report.format == "csl-json" and len(report.created) == 9 and not report.errors
    assert Source.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "count"), [("zotero-export.json", ZOTERO, 9), ("sources.bib", BIBTEX, 6)])
def test_import_round_trip_and_reimport_change_nothing(researcher, name, content, count):
    report = sources_import(content=content, filename=name, user=researcher, dry_run=False)
    assert len(report.created) == count and report.errors == []
    history = Source.history.filter(history_change_reason=f"import {name}")
    assert history.count() == count and set(history.values_list("history_user", flat=True)) == {researcher.pk}
    before = snapshot()

    again = sources_import(content=content, filename=name, user=researcher, dry_run=False)
    assert (again.created, again.updated, len(again.skipped)) == ([], {}, count)
    assert snapshot() == before

    exported = json.dumps(sources_export())
    round_trip = sources_import(content=exported, filename="export.json", user=researcher, dry_run=False)
    assert (round_trip.created, round_trip.updated, len(round_trip.skipped)) == ([], {}, count)
    assert snapshot() == before


def test_zotero_entries_survive_export_unchanged():
    """Lossless: export(import(entry)) is the entry (years written as numbers)."""
    for entry in json.loads(ZOTERO):
        exported = source_to_csl(Source(**source_fields_from_csl(entry)))
        expected = json.loads(json.dumps(entry))
        for date in ("issued", "accessed"):
            parts = expected.get(date, {}).get("date-parts")
            full = len(parts[0]) == 3 if parts and date == "accessed" else True
            if (
                parts
                and full
                and all(str(part).isdigit() for part in parts[0])
                and set(expected[date]) == {"date-parts"}
            ):
                expected[date]["date-parts"] = [[int(part) for part in parts[0]]]
        assert exported == expected, entry["id"]


def test_zotero_fields_map_onto_columns(researcher):
    sources_import(content=ZOTERO, filename="zotero-export.json", user=researcher, dry_run=False)
    hrw = Source.objects.get(key="humanrightswatchSouthKoreaEvents2022")
    assert (hrw.author_abbreviation, hrw.issued_year, hrw.issued_month, hrw.issued_day) == ("HRW", 2022, 1, 13)
    assert hrw.accessed.isoformat() == "2022-05-03" and hrw.author_text == "Human Rights Watch"
    assert (
        Source.objects.get(key="unitednationsgeneralassemblySpeakersDifferImplementation2021").un_symbol == "GA/12323"
    )
    thesis = Source.objects.get(key="leeRefugeePolicyKorea2020")
    assert thesis.type == "report" and thesis.csl_extra["type"] == "thesis" and thesis.issued_year == 2020
    assert Source.objects.get(key="botto2021beyond").issued_year == 2021  # from a "raw" date
    assert Source.objects.get(key="kuzmarovKoreanWarBarbarism").accessed is None  # partial date kept in csl_extra


def test_bibtex_fields(researcher):
    sources_import(content=BIBTEX, filename="sources.bib", user=researcher, dry_run=False)
    gcr2p = Source.objects.get(key="gcr2p2020focal")
    assert gcr2p.authors == [{"literal": "Global Centre for the Responsibility to Protect"}]
    assert (gcr2p.author_abbreviation, gcr2p.type, gcr2p.title) == (
        "GCR2P",
        "webpage",
        "Members of the Global Network of R2P Focal Points",
    )
    choi = Source.objects.get(key="choi2019crimes")
    assert choi.authors[1:] == [{"family": "Do", "given": "Hoàng"}, {"family": "Müller", "given": "Jérôme"}]
    assert (choi.type, choi.issued_year, choi.issued_month, choi.container_title) == (
        "article-journal",
        2019,
        3,
        "Journal of Human Rights",
    )
    assert choi.csl_extra["page"] == "145–162"
    assert Source.objects.get(key="unga-nd-voting").url == "https://www.un.org/en/ga/documents/voting.asp"
    assert Source.objects.get(key="mackenzie2022handshakes").title.endswith("Situation in North Korea?")


def test_per_entry_errors_and_updates(researcher):
    sources_import(content=ZOTERO, filename="zotero-export.json", user=researcher, dry_run=False)
    entries = json.loads(ZOTERO)[:2]
    entries[0]["title"] = "South Korea: Events of 2021 (corrected)"
    entries += [
        {"type": "report", "title": "No id"},
        {"id": "bad url", "type": "webpage", "title": "Bad", "URL": "not a url"},
        {"id": "no-title", "type": "report"},
        dict(entries[1]),
    ]
    report = sources_import(content=json.dumps(entries), filename="fix.json", user=researcher, dry_run=True)
    assert report.updated == {"humanrightswatchSouthKoreaEvents2022": ["title"]}
    assert report.skipped == ["rashidSouthKoreaDesignates2021"]
    errors = {(error.index, error.key): " ".join(error.messages) for error in report.errors}
    assert set(errors) == {(3, ""), (4, "bad url"), (5, "no-title"), (6, "rashidSouthKoreaDesignates2021")}
    assert "url" in errors[(4, "bad url")] and "key" in errors[(4, "bad url")]
    assert "title" in errors[(5, "no-title")] and "Duplicate id" in errors[(6, "rashidSouthKoreaDesignates2021")]
    assert Source.objects.get(key="humanrightswatchSouthKoreaEvents2022").title == "South Korea: Events of 2021"
    sources_import(content=json.dumps(entries), filename="fix.json", user=researcher, dry_run=False)
    changed = Source.objects.get(key="humanrightswatchSouthKoreaEvents2022")
    assert changed.title.endswith("(corrected)")
    assert changed.history.first().history_change_reason == "import fix.json"


def test_import_resolves_waiting_citations(korea_2025, researcher):
    item = korea_2025.items.get(indicator__code="BC-1")
    Citation.objects.create(item=item, position=1, key="gcr2p2020focal", source=None)
    report = sources_import(content=BIBTEX, filename="sources.bib", user=researcher, dry_run=False)
    assert report.citations_resolved == 1
    assert Citation.objects.get(item=item).source.key == "gcr2p2020focal"


@pytest.mark.parametrize("content", ["{not json", "@article{broken, title = {x"])
def test_unreadable_files(db, content):
    with pytest.raises(ImportFormatError):
        sources_import(content=content, filename="x.json" if content.startswith("{") else "x.bib", dry_run=True)


def test_import_sources_command(researcher, tmp_path):
    out = StringIO()
    call_command("import_sources", str(DATA / "sources.bib"), "--dry-run", stdout=out)
    assert "would create 6" in out.getvalue() and Source.objects.count() == 0
    call_command("import_sources", str(DATA / "sources.bib"), "--user", "importer", stdout=out)
    assert Source.objects.count() == 6
    out = StringIO()
    call_command("import_sources", str(DATA / "sources.bib"), stdout=out)
    assert "created 0, updated 0, unchanged 6, errors 0" in out.getvalue()
