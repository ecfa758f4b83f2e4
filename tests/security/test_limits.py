"""Bounded work from small input: text sizes refused on every path, the diff bounded, files read by content."""

import json

import pytest
from django.core.exceptions import ValidationError

from assessments.history.diff import diff_counts, line_diff, opcodes, tokens, word_diff_html
from assessments.io.formats import FileError, json_depth, load_json, read_dataset
from assessments.io.rows import CellProblem, parse_notes
from assessments.limits import (
    COMMENT_MAX_CHARS,
    DIFF_MAX_WORK,
    IMPORT_MAX_CELLS,
    IMPORT_MAX_COLUMNS,
    IMPORT_MAX_ROWS,
    JSON_MAX_DEPTH,
    NOTES_MAX_CHARS,
)
from assessments.models import Comment
from assessments.workflow.comments import comment_create
from assessments.workflow.services import item_update
from benchmarks.security import xlsx_claiming

TOO_LONG_NOTES = "word " * (NOTES_MAX_CHARS // 5) + "x"


# --- text sizes -------------------------------------------------------------------------------------


def test_item_update_refuses_oversized_notes(world, security_figures):
    item = world.draft_item
    with pytest.raises(ValidationError) as error:
        item_update(item=item, user=world.users["researcher"], expected_version=item.version, notes=TOO_LONG_NOTES)
    assert "at most 60,000 characters" in str(error.value)
    item.refresh_from_db()
    assert len(item.notes) < NOTES_MAX_CHARS
    security_figures.add("oversized texts refused (services, forms, import, preview)", 1)


def test_item_update_accepts_notes_at_the_limit(world):
    item = world.draft_item
    notes = ("word " * NOTES_MAX_CHARS)[: NOTES_MAX_CHARS - 1] + "."
    item = item_update(item=item, user=world.users["researcher"], expected_version=item.version, notes=notes)
    assert len(item.notes) == NOTES_MAX_CHARS


def test_item_editor_form_refuses_oversized_notes_with_a_message(world, security_figures):
    client = world.client("researcher")
    item = world.draft_item
    response = client.post(
        item.get_absolute_url(), {"notes": TOO_LONG_NOTES, "version": item.version, "rating": "fair", "trend": ""}
    )
    assert response.status_code in (200, 400)
    assert "at most 60000 characters" in response.content.decode()
    item.refresh_from_db()
    assert item.notes == "Draft notes.[@hrw-2022-south-korea]"
    security_figures.add("oversized texts refused (services, forms, import, preview)", 1)


def test_comment_refused_above_its_limit(world, security_figures):
    with pytest.raises(ValidationError):
        comment_create(item=world.draft_item, user=world.users["reviewer"], body="x" * (COMMENT_MAX_CHARS + 1))
    client = world.client("reviewer")
    count = Comment.objects.count()
    client.post(world.draft_item.get_absolute_url() + "comments/", {"body": "x" * (COMMENT_MAX_CHARS + 1)})
    assert Comment.objects.count() == count
    security_figures.add("oversized texts refused (services, forms, import, preview)", 1)


def test_import_row_with_oversized_notes_is_a_row_error(security_figures):
    with pytest.raises(CellProblem, match="at most 60,000"):
        parse_notes(TOO_LONG_NOTES)
    assert parse_notes("short") == "short"
    security_figures.add("oversized texts refused (services, forms, import, preview)", 1)


def test_preview_refuses_oversized_notes(world):
    url = world.draft_item.get_absolute_url() + "preview/"
    response = world.client("researcher").post(url, {"notes": TOO_LONG_NOTES})
    assert response.status_code == 400


# --- the diff ---------------------------------------------------------------------------------------


def _apply(before, after, operations):
    """Rebuild `after` from `before` with the operations (checks they are a correct edit script)."""
    out, position = [], 0
    for op, i1, i2, j1, j2 in operations:
        assert i1 == position
        out.extend(before[i1:i2] if op == "equal" else after[j1:j2])
        position = i2
    assert position == len(before)
    return out


def test_bounded_diff_falls_back_to_sentences_but_stays_correct(security_figures):
    # Without the bound, SequenceMatcher over these tokens does (tokens before) × (tokens after) ≫ DIFF_MAX_WORK work.
    before = "\n".join(f"Shared sentence {n}. " + "a b " * 300 for n in range(40))
    after = "\n".join(f"Shared sentence {n}. " + "b a " * 300 for n in range(40))
    a, b = tokens(before), tokens(after)
    assert len(a) * len(b) > 20 * DIFF_MAX_WORK
    operations = opcodes(a, b)
    assert _apply(a, b, operations) == b
    assert any(op == "equal" and "Shared" in "".join(a[i1:i2]) for op, i1, i2, _, _ in operations)
    html = word_diff_html(before, after)
    assert "<del" in html and "<ins" in html
    deleted, inserted = diff_counts(before, after)
    assert deleted > 0 and inserted > 0
    security_figures.add("history diff: oversized revisions compared with the bounded fallback", 1)


def test_small_diffs_stay_word_level():
    assert word_diff_html("The State is strong.", "The State is weak.") == (
        'The State is <del class="diff-del">strong</del><ins class="diff-ins">weak</ins>.'
    )


def test_conflict_line_diff_marks_lines():
    assert line_diff("a\nb\nc", "a\nB\nc") == [(" ", "a"), ("-", "b"), ("+", "B"), (" ", "c")]


# --- files ------------------------------------------------------------------------------------------


def test_xlsx_declaring_a_huge_dimension_is_read_by_its_content(security_figures):
    data = xlsx_claiming("A1:XFD1048576")
    assert len(data) < 10_000
    loaded = read_dataset(data, "crafted.xlsx")  # before: openpyxl padded every row to 16,384 columns × 1M rows
    assert loaded.dataset.headers == ["country", "cycle", "indicator"]
    assert len(loaded.dataset) == 1
    security_figures.add("crafted files read in bounded time and memory (XLSX, JSON)", 1)


def test_xlsx_caps_rows_columns_and_cells():
    wide = [[f"c{n}" for n in range(IMPORT_MAX_COLUMNS + 1)]]
    with pytest.raises(FileError, match="columns"):
        read_dataset(xlsx_claiming("A1:A1", wide), "wide.xlsx")
    far = [["country"], *([None] for _ in range(3)), [None] * 2000 + ["x"]]
    loaded = read_dataset(xlsx_claiming("A1:A1", [["country"], ["KOR"]]), "ok.xlsx")
    assert len(loaded.dataset) == 1
    with pytest.raises(FileError, match="columns"):
        read_dataset(xlsx_claiming("A1:A1", far), "far.xlsx")


def test_csv_row_cap(settings):
    settings.R2P_IMPORT_MAX_BYTES = 100 * 1024 * 1024
    data = ("country\n" + "KOR\n" * (IMPORT_MAX_ROWS + 1)).encode()
    with pytest.raises(FileError, match="rows"):
        read_dataset(data, "long.csv")
    assert IMPORT_MAX_CELLS >= IMPORT_MAX_ROWS * 7  # the indicator files (7 columns) fit


def test_json_with_many_distinct_keys_is_refused_quickly(security_figures):
    # Before: the columns were collected with a list membership test, quadratic in the number of keys.
    row = {f"k{n}": n for n in range(100_000)}
    with pytest.raises(FileError, match="columns"):
        read_dataset(json.dumps([row]).encode(), "keys.json")
    security_figures.add("crafted files read in bounded time and memory (XLSX, JSON)", 1)


def test_json_depth_is_limited_before_parsing():
    deep = "[" * (JSON_MAX_DEPTH + 1) + "]" * (JSON_MAX_DEPTH + 1)
    with pytest.raises(FileError, match="levels deep"):
        load_json(deep)
    with pytest.raises(FileError, match="levels deep"):
        read_dataset(("[" * 100_000).encode(), "deep.json")
    assert json_depth('[{"a": "' + "[" * 50 + '\\""}]') == 2  # brackets in strings do not count
    assert load_json('[{"a": 1}]') == [{"a": 1}]


@pytest.mark.parametrize("text", ["[NaN]", "[Infinity]", "[1e999]"])
def test_json_numbers_databases_refuse_are_refused(text):
    with pytest.raises(FileError):
        load_json(text)


def test_oversized_errata_are_refused_before_the_annex_is_built(world, security_figures):
    from assessments.limits import ERRATA_MAX_CHARS
    from assessments.publishing.services import annex_publish

    with pytest.raises(ValidationError, match="too long"):
        annex_publish(
            country_assessment=world.korea_2022, user=world.users["editor"], errata="x" * (ERRATA_MAX_CHARS + 1)
        )
    assert world.korea_2022.editions.count() == 1
    security_figures.add("oversized texts refused (services, forms, import, preview)", 1)
