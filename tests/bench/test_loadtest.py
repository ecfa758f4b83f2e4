"""`make loadtest`: the dataset command, the traffic model, the summary of a locust run and the command's guards."""

import csv
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Edition
from benchmarks import traffic
from benchmarks.dataset import dataset_publish
from benchmarks.loadtest import summary_lines, summary_read

BASE_DIR = Path(__file__).resolve().parents[2]
STATS_COLUMNS = [
    "Type",
    "Name",
    "Request Count",
    "Failure Count",
    "Median Response Time",
    "Average Response Time",
    "Min Response Time",
    "Max Response Time",
    "Average Content Size",
    "Requests/s",
    "Failures/s",
    "50%",
    "66%",
    "75%",
    "80%",
    "90%",
    "95%",
    "98%",
    "99%",
    "99.9%",
    "99.99%",
    "100%",
]


def _stats_row(method, name, requests, failures, p50, p95, p99, maximum, rps=0.0):
    row = dict.fromkeys(STATS_COLUMNS, "0")
    row.update(
        {
            "Type": method,
            "Name": name,
            "Request Count": requests,
            "Failure Count": failures,
            "Max Response Time": maximum,
            "Requests/s": rps,
            "50%": p50,
            "95%": p95,
            "99%": p99,
        }
    )
    return row


def _write_run(prefix: Path, *, failures: int = 0, p95: int = 120) -> None:
    rows = [
        _stats_row("GET", "read: public annex", 600, 0, 20, 90, 150, 400),
        _stats_row("POST", "edit: save draft", 300, failures, 40, p95, 300, 900),
        _stats_row("GET", "export: published download", 100, 0, 10, 60, 200, 700),
        _stats_row("", "Aggregated", 1000, failures, 25, p95, 280, 900, rps=16.7),
    ]
    with open(f"{prefix}_final_stats.csv", "w", newline="") as stats:
        writer = csv.DictWriter(stats, STATS_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with open(f"{prefix}_final_failures.csv", "w", newline="") as failures_file:
        writer = csv.writer(failures_file)
        writer.writerow(["Method", "Name", "Error", "Occurrences"])
        if failures:
            writer.writerow(["POST", "edit: save draft", "save answered 500", failures])
    with open(f"{prefix}_kinds.csv", "w", newline="") as kinds:
        writer = csv.writer(kinds)
        writer.writerow(["Kind", "Request Count", "Failure Count", "50%", "95%", "99%", "Max Response Time"])
        writer.writerow(["edit", 300, failures, 40, p95, 300, 900])
        writer.writerow(["export", 100, 0, 10, 60, 200, 700])
        writer.writerow(["read", 600, 0, 20, 90, 150, 400])
    Path(f"{prefix}_outcomes.json").write_text(json.dumps({"saved": 280, "conflicts (409)": 4}))


def test_summary_reads_the_final_statistics_and_meets_the_target(tmp_path):
    _write_run(tmp_path / "locust")

    summary = summary_read(tmp_path / "locust")

    assert (summary.requests, summary.failures, summary.p50, summary.p95, summary.p99) == (1000, 0, 25, 120, 280)
    assert summary.mix() == {"read": 60.0, "edit": 30.0, "export": 10.0}
    assert summary.outcomes == {"saved": 280, "conflicts (409)": 4}
    assert summary.target_met
    text = "\n".join(summary_lines(summary))
    assert "Requests     1,000 (16.7/s), failures 0" in text
    assert "p50 25 ms, p95 120 ms, p99 280 ms" in text
    assert "  read     60%     600 requests, 0 failures, p50 20 ms, p95 90 ms, p99 150 ms" in text
    assert text.index("  read ") < text.index("  edit ") < text.index("  export ")
    assert "conflicts (409) 4" in text
    assert text.endswith("p95 ≤ 300 ms: MET")


def test_summary_says_why_the_target_is_missed(tmp_path):
    _write_run(tmp_path / "locust", failures=3, p95=450)

    lines = summary_lines(summary_read(tmp_path / "locust"))

    assert lines[-1] == "Target       0 errors and p95 ≤ 300 ms: MISSED (3 failures, p95 450 ms > 300 ms)"
    assert any("failure ×3: edit: save draft: save answered 500" in line for line in lines)


def test_summary_falls_back_to_the_csv_locust_writes(tmp_path):
    _write_run(tmp_path / "locust")
    for suffix in ("final_stats", "final_failures"):
        (tmp_path / f"locust_{suffix}.csv").rename(tmp_path / f"locust_{suffix.removeprefix('final_')}.csv")

    assert summary_read(tmp_path / "locust").requests == 1000


def test_downloads_come_from_the_most_read_annexes_of_the_newest_cycle():
    page = "".join(f'<a href="/annex/{year}/{code}/">x</a>' for year in (2019, 2022) for code in ("AUS", "KOR", "THA"))
    urls = traffic.annex_urls(page)

    assert len(urls) == 6
    assert traffic.ranked(urls) == traffic.ranked(list(reversed(urls)))  # the same order in every process
    assert traffic.downloadable(urls, 2) == [url for url in traffic.ranked(urls) if "/2022/" in url][:2]
    assert sorted(traffic.downloadable(urls, 0)) == sorted(urls)
    assert traffic.download_urls(["/annex/2022/KOR/"])[0] == "/annex/2022/KOR/v1.pdf"


@pytest.mark.django_db
def test_build_dataset_publishes_the_finished_cycles_once(capsys):
    call_command("build_dataset", countries=1, publish=True)

    output = capsys.readouterr().out
    assert "Dataset: 2 countries" in output
    assert "Published 2 annexes" in output  # the benchmark country's 2019 and 2022 (Korea 2022 is the demo's)
    assert Edition.objects.filter(country_assessment__cycle__year=2025).count() == 0
    assert dataset_publish() == 0


def test_loadtest_refuses_a_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(CommandError, match="in use"):
            call_command("loadtest", port=busy.getsockname()[1])


def test_locustfile_refuses_any_host_but_127_0_0_1(tmp_path):
    # "localhost" is refused too; were it not, nothing listens on port 9 of the loopback anyway.
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "benchmarks/locustfile.py", "--host", "http://localhost:9"]
        + ["--headless", "--users", "1", "--run-time", "1s", "--csv", str(tmp_path / "locust")],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "only runs against http://127.0.0.1" in result.stdout + result.stderr
