"""Writing an imported annex: all or nothing, history, legacy score, publishing with the original date."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from assessments.archive.footnotes import SourceMatcher, split_footnote
from assessments.archive.services import annex_parse, archive_publish, country_assessment_import_archive
from assessments.demo.loader import demo_annex, demo_sources
from assessments.models import AssessmentItem, Citation, ItemStatus, Source

from .conftest import korea


def _import(bare, text, name="annex.txt"):
    parsed = annex_parse(cycle=bare["cycle"], country=bare["korea"], text=text)
    return parsed, country_assessment_import_archive(
        parsed=parsed, country=bare["korea"], cycle=bare["cycle"], user=bare["editor"], file_name=name
    )


def test_import_into_a_fresh_archive_writes_everything_with_history(bare, reference_text):
    parsed, assessment = _import(bare, reference_text, "annex-2022-republic-of-korea.txt")
    items = list(assessment.items.all())
    assert len(items) == 38 and {item.status for item in items} == {ItemStatus.APPROVED}
    # Written by the importing editor on the archive path: approved as the published record, never "approved" by
    # anyone in the history, and recorded as written by the importer.
    assert {item.last_edited_by_id for item in items} == {bare["editor"].pk}
    assert all(item.approved_version == item.version for item in items)
    history = AssessmentItem.history.filter(country_assessment=assessment)
    assert set(history.values_list("history_change_reason", flat=True)) == {
        "imported from annex-2022-republic-of-korea.txt"
    }
    assert korea(2019).legacy_score == 74  # the printed previous score, as Korea 2019 has no ratings
    # Every citation points at a source (all proposed from the footnotes: the library was empty).
    assert Source.objects.count() == len(parsed.new_sources) > 40
    assert not Citation.objects.filter(item__country_assessment=assessment).unresolved().exists()
    assert Source.history.filter(history_change_reason="imported from annex-2022-republic-of-korea.txt").exists()


def test_the_import_is_all_or_nothing_and_never_overwrites(bare, reference_text):
    parsed = annex_parse(cycle=bare["cycle"], country=bare["korea"], text=reference_text)
    parsed.rows[1].code = parsed.rows[0].code  # two rows on one indicator: refused before any write
    with pytest.raises(ValidationError):
        country_assessment_import_archive(
            parsed=parsed, country=bare["korea"], cycle=bare["cycle"], user=bare["editor"], file_name="a.txt"
        )
    assert korea(2022) is None and Source.objects.count() == 0
    with pytest.raises(PermissionDenied):
        country_assessment_import_archive(
            parsed=parsed, country=bare["korea"], cycle=bare["cycle"], user=bare["researcher"], file_name="a.txt"
        )
    _import(bare, reference_text)
    with pytest.raises(ValidationError, match="never overwrites"):
        _import(bare, reference_text)


def test_publish_keeps_the_original_publication_date(bare, reference_text):
    _parsed, assessment = _import(bare, reference_text)
    edition = archive_publish(
        country_assessment=assessment, user=bare["editor"], published_on="2022-09-01", file_name="annex.txt"
    )
    assert edition.number == 1
    assert edition.published_at == datetime.datetime(2022, 9, 1, 12, tzinfo=datetime.UTC)


def test_summary_table_that_disagrees_with_the_detailed_table_is_listed(bare, reference_text):
    # Move "Support the Kigali Principles" (Very Weak in the detailed table) under Fair in the summary table.
    text = reference_text.replace("\tSupport the Kigali Principles\n", "\n").replace(
        "Fair\tDealing with past atrocities\n", "Fair\tDealing with past atrocities\n\tSupport the Kigali Principles\n"
    )
    text = text.replace("Score: 73", "Score: 75")
    parsed = annex_parse(cycle=bare["cycle"], country=bare["korea"], text=text)
    found = {(flag.where, flag.message) for flag in parsed.inconsistencies}
    assert ("UN-6", "summary table lists it as Fair, the detailed table rates it Very Weak") in found
    assert ("score", "printed score 75, the detailed table's ratings give 73") in found


def test_import_annex_command_dry_run_prints_flags_and_writes_nothing(bare, tmp_path, capsys):
    path = tmp_path / "kor.txt"
    path.write_text(open("tests/archive/data/annex-2022-republic-of-korea.txt", encoding="utf-8").read())
    call_command("import_annex", str(path), country="KOR", cycle=2022, user="editor", dry_run=True)
    out = capsys.readouterr().out
    assert "Score printed 73, previous (2019) 74, difference -1" in out
    assert "? UN-5: a page break split this row" in out and "Dry run: nothing written." in out
    assert korea(2022) is None
    call_command(
        "import_annex", str(path), country="KOR", cycle=2022, user="editor", publish=True, published_on="2022-09-01"
    )
    assert korea(2022).editions.get().published_at.date() == datetime.date(2022, 9, 1)


def _canonical(notes: str, by_key: dict) -> str:
    """Notes with each key replaced by what identifies its work (title, URL), so keys may differ."""

    def work(match):
        source = by_key[match.group(1)]
        return "@{" + f"{source['title']}|{source.get('URL', '')}" + "}"

    return re.sub(r"@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])", work, notes)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_round_trip_of_an_exported_annex_into_a_fresh_database(bare, exported_korea, fmt):
    path = exported_korea[fmt]
    parsed = annex_parse(cycle=bare["cycle"], country=bare["korea"], path=path)
    assessment = country_assessment_import_archive(
        parsed=parsed, country=bare["korea"], cycle=bare["cycle"], user=bare["editor"], file_name=path.name
    )
    demo_by_key = {entry["id"]: entry for entry in demo_sources()}
    imported_by_key = {source.key: {"title": source.title, "URL": source.url} for source in Source.objects.all()}
    items = {item.slug: item for item in assessment.items.select_related("indicator")}
    annex = demo_annex()
    assert items["overview"].notes == annex["overview"].strip()
    assert items["conclusion"].notes == annex["conclusion"].strip()
    for expected in annex["indicators"]:
        item = items[expected["code"]]
        assert (item.rating, item.trend) == (expected["rating"], expected["trend"])
        assert _canonical(item.notes, imported_by_key) == _canonical(expected["notes"].strip(), demo_by_key)
    # The sources cited are the demo's works, field by field where the footnote prints them.
    for key, source in imported_by_key.items():
        assert any(source["title"] == entry["title"] for entry in demo_by_key.values()), key
    assert parsed.inconsistencies == []


def test_footnote_forms_ibid_supra_prose_and_unreadable_text():
    matcher = SourceMatcher([])
    from assessments.archive.document import ParsedAnnex
    from assessments.archive.footnotes import footnotes_to_citations

    annex = ParsedAnnex()
    footnotes_to_citations(
        annex,
        {
            1: "Human Rights Watch (HRW), 2022. *South Korea: Events of 2021*, 'Women', <https://hrw.org/k>.",
            2: "Ibid., p. 6.",
            3: "Kim, Sea Young, 2021. 'Title of article'. *East Asia Forum*, 15 April. Available at: <https://e.org/a>.",
            4: "Supra note 1, para. 70; HRW, 2022. *South Korea: Events of 2021*.",
            5: "A remark without any reference at all.",
            6: "Something odd -- not a reference, but with a link https://x.org/y.",
        },
        matcher,
    )
    fn = annex.footnotes
    hrw = fn[1].keys[0]
    assert fn[1].markup == f"[@{hrw}, 'Women']"
    assert fn[2].markup == f"[@{hrw}, p. 6]"
    assert annex.new_sources[fn[3].keys[0]].csl["container-title"] == "East Asia Forum"
    assert fn[4].markup == f"[@{hrw}, para. 70; @{hrw}]"
    assert fn[5].markup == "^[A remark without any reference at all.]"
    assert any(flag.where == "footnote 6" and "kept verbatim" in flag.message for flag in annex.flags)
    assert [part.kind for part in split_footnote(fn[4].text)] == ["supra", "prose", "cite"]
    assert annex.new_sources[hrw].csl["custom"] == {"author-abbreviation": "HRW"}
