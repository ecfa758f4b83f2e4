"""`make bench`, security part: bounded work from small, crafted input.

- the history diff of two revisions at the notes limit, for the shapes that make a word diff slow (few distinct
  words, alternating shared and changed sentences, no sentence breaks...): the slowest, target ≤ 200 ms;
- crafted uploads read (and refused) in bounded time and memory: an XLSX of a few KB whose sheet declares
  A1:XFD1048576, a JSON row with 100,000 distinct keys, JSON nested 100,000 deep, a CSV over the row cap.
  Peak memory is what Python allocated while reading (tracemalloc), in MB.
"""

import io
import json
import random
import time
import tracemalloc
import zipfile

from assessments.history.diff import _compared, diff_counts, word_diff_html
from assessments.io.formats import FileError, read_dataset
from assessments.limits import IMPORT_MAX_ROWS, NOTES_MAX_CHARS

DIFF_TARGET_MS = 200
FILE_TARGET_S = 2.0
FILE_TARGET_MB = 100


def _fill(rng: random.Random, words: list[str], limit: int = NOTES_MAX_CHARS) -> str:
    out, size = [], 0
    while True:
        word = rng.choice(words)
        if size + len(word) + 1 > limit:
            return " ".join(out)
        out.append(word)
        size += len(word) + 1


def diff_cases() -> dict[str, tuple[str, str]]:
    """Pairs of notes at the size limit, each a known hard case for a word diff."""
    rng = random.Random(20)
    few = ["a", "b", "c", "the", "of"]
    many = [f"word{n}" for n in range(2000)]
    limit = NOTES_MAX_CHARS

    def line(words: list[str], count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count))

    sentences = "".join(" ".join(rng.choice(many) for _ in range(12)) + ". " for _ in range(limit // 90))[:limit]
    edited = list(sentences)
    for _ in range(300):
        edited[rng.randrange(len(edited))] = "Z"
    blocks = limit // (300 * 4 + 40)
    alternating = [
        "\n".join(f"Shared sentence number {n}.\n" + line(few, 300) for n in range(blocks))[:limit] for _ in range(2)
    ]
    return {
        "few distinct words, rewritten": (_fill(rng, few), _fill(rng, few)),
        "one word repeated vs another": ("a " * (limit // 2), "b " * (limit // 2)),
        "distinct words, rewritten": (_fill(rng, many), _fill(rng, many)),
        "sentences, 300 typos": (sentences, "".join(edited)),
        "shared sentences between rewritten blocks": (alternating[0], alternating[1]),
        "no spaces": ("x" * limit, "y" * limit),
        "identical": (sentences, sentences),
    }


def diff_times(repeats: int = 3) -> dict[str, float]:
    """Milliseconds for the history page's comparison (marked-up diff and word counts) of each pair, worst run."""
    results = {}
    for name, (old, new) in diff_cases().items():
        assert len(old) <= NOTES_MAX_CHARS and len(new) <= NOTES_MAX_CHARS
        worst = 0.0
        for _ in range(repeats):
            _compared.cache_clear()
            started = time.perf_counter()
            word_diff_html(old, new)
            diff_counts(old, new)
            worst = max(worst, (time.perf_counter() - started) * 1000)
        results[name] = round(worst, 1)
    return results


def xlsx_claiming(dimension: str, rows: list[list] | None = None) -> bytes:
    """A tiny workbook whose sheet declares `dimension` (as a crafted file does) but holds only `rows`."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows or [["country", "cycle", "indicator"], ["KOR", 2025, "PM-1"]]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                data = (text[:start] + dimension + text[text.index('"', start) :]).encode()
            target.writestr(entry, data)
    return out.getvalue()


def _crafted_xlsx() -> bytes:
    return xlsx_claiming(
        "A1:XFD1048576", [["country", "cycle", "indicator", "rating", "notes"], ["KOR", 2025, "PM-1", "Fair", "x"]]
    )


def crafted_files() -> dict[str, dict]:
    """Each crafted file: its size, the outcome (rows read or the refusal), seconds and peak MB while reading."""
    files = {
        "XLSX declaring A1:XFD1048576": (_crafted_xlsx(), "crafted.xlsx"),
        "JSON, one row of 100,000 keys": (json.dumps([{f"k{n}": n for n in range(100_000)}]).encode(), "keys.json"),
        "JSON nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "deep.json"),
        f"CSV of {IMPORT_MAX_ROWS + 1:,} rows": (
            ("country\n" + "KOR\n" * (IMPORT_MAX_ROWS + 1)).encode(),
            "long.csv",
        ),
    }
    results = {}
    for name, (data, file_name) in files.items():
        started = time.perf_counter()
        outcome = _read(data, file_name)
        seconds = time.perf_counter() - started  # timed without tracemalloc, which slows allocation down
        tracemalloc.start()
        _read(data, file_name)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results[name] = {
            "bytes": len(data),
            "outcome": outcome,
            "seconds": round(seconds, 3),
            "peak_mb": round(peak / (1024 * 1024), 1),
        }
    return results


def _read(data: bytes, file_name: str) -> str:
    try:
        loaded = read_dataset(data, file_name)
    except FileError as error:
        return f"refused: {str(error)[:60]}"
    return f"read, {len(loaded.dataset)} row(s)"


def security_bench() -> dict:
    return {"diff_ms": diff_times(), "files": crafted_files()}


def security_lines(results: dict) -> list[str]:
    lines = [f"\nHistory diff at the notes limit ({NOTES_MAX_CHARS:,} characters)      ms   target"]
    for name, ms in results["diff_ms"].items():
        lines.append(f"  {name:<52}{ms:>7}   {'met' if ms <= DIFF_TARGET_MS else 'MISSED'} (≤ {DIFF_TARGET_MS})")
    lines.append("\nCrafted uploads                      bytes   seconds  peak MB  outcome")
    for name, row in results["files"].items():
        ok = row["seconds"] <= FILE_TARGET_S and row["peak_mb"] <= FILE_TARGET_MB
        lines.append(
            f"  {name:<32}{row['bytes']:>9,}{row['seconds']:>10}{row['peak_mb']:>9}  {row['outcome']}"
            f"  {'met' if ok else 'MISSED'}"
        )
    return lines
