"""`make loadtest`: the summary of a locust run, read from its CSV files (`--csv <prefix>`).

Requests are named "<kind>: <page>" by benchmarks/locustfile.py, kind being read, edit or export.
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

TARGET_P95_MS = 300
TARGET_FAILURES = 0
KINDS = ("read", "edit", "export")


@dataclass
class Endpoint:
    method: str
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    max: float

    @property
    def kind(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else "other"


@dataclass
class Kind:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float


@dataclass
class LoadTestSummary:
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    endpoints: list[Endpoint]
    outcomes: dict[str, int] = field(default_factory=dict)
    failure_messages: list[tuple[int, str, str]] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)

    @property
    def target_met(self) -> bool:
        return self.requests > 0 and self.failures <= TARGET_FAILURES and self.p95 <= TARGET_P95_MS

    def mix(self) -> dict[str, float]:
        """Share of requests of each kind (read, edit, export), in percent."""
        counts = {kind: 0 for kind in KINDS}
        for endpoint in self.endpoints:
            counts[endpoint.kind] = counts.get(endpoint.kind, 0) + endpoint.requests
        return {kind: 100 * count / self.requests for kind, count in counts.items() if count} if self.requests else {}


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def summary_read(prefix: str | Path) -> LoadTestSummary:
    """Read the locustfile's final `<prefix>_final_stats.csv` (else locust's `<prefix>_stats.csv`), the failures and
    `<prefix>_outcomes.json`."""
    prefix = str(prefix)
    final = Path(f"{prefix}_final_stats.csv").exists()
    endpoints, total = [], None
    with open(f"{prefix}_final_stats.csv" if final else f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            endpoint = Endpoint(
                method=row["Type"],
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=_number(row["50%"]),
                p95=_number(row["95%"]),
                p99=_number(row["99%"]),
                max=_number(row["Max Response Time"]),
            )
            if row["Name"] == "Aggregated":
                total, rps = endpoint, _number(row["Requests/s"])
            else:
                endpoints.append(endpoint)
    if total is None:
        raise ValueError(f"{prefix}_stats.csv has no Aggregated row")
    failures_path = Path(f"{prefix}_final_failures.csv" if final else f"{prefix}_failures.csv")
    messages = []
    if failures_path.exists():
        with failures_path.open(newline="") as failures:
            messages = [(int(row["Occurrences"]), row["Name"], row["Error"]) for row in csv.DictReader(failures)]
    outcomes_path = Path(f"{prefix}_outcomes.json")
    outcomes = json.loads(outcomes_path.read_text()) if outcomes_path.exists() else {}
    kinds_path = Path(f"{prefix}_kinds.csv")
    kinds = []
    if kinds_path.exists():
        with kinds_path.open(newline="") as by_kind:
            kinds = [
                Kind(
                    name=row["Kind"],
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    p50=_number(row["50%"]),
                    p95=_number(row["95%"]),
                    p99=_number(row["99%"]),
                )
                for row in csv.DictReader(by_kind)
            ]
        kinds.sort(key=lambda kind: KINDS.index(kind.name) if kind.name in KINDS else len(KINDS))
    return LoadTestSummary(
        requests=total.requests,
        failures=total.failures,
        rps=rps,
        p50=total.p50,
        p95=total.p95,
        p99=total.p99,
        max=total.max,
        endpoints=endpoints,
        outcomes=outcomes,
        failure_messages=sorted(messages, reverse=True),
        kinds=kinds,
    )


def summary_lines(summary: LoadTestSummary, *, slowest: int = 6) -> list[str]:
    """The short report `make loadtest` prints."""
    mix = summary.mix()
    lines = [
        f"Requests     {summary.requests:,} ({summary.rps:.1f}/s), failures {summary.failures:,}",
        f"Latency      p50 {summary.p50:.0f} ms, p95 {summary.p95:.0f} ms, p99 {summary.p99:.0f} ms, "
        f"max {summary.max:.0f} ms",
    ]
    if not summary.kinds:
        lines.append("Mix          " + ", ".join(f"{kind} {share:.0f}%" for kind, share in mix.items()))
    for kind in summary.kinds:
        lines.append(
            f"  {kind.name:<7} {mix.get(kind.name, 0):>3.0f}%  {kind.requests:>6,} requests, {kind.failures} failures, "
            f"p50 {kind.p50:.0f} ms, p95 {kind.p95:.0f} ms, p99 {kind.p99:.0f} ms"
        )
    if summary.outcomes:
        outcomes = sorted(summary.outcomes.items())
        lines.append("Edits        " + ", ".join(f"{name} {count:,}" for name, count in outcomes))
    lines.append("Slowest by p95 (requests, p50 / p95 / p99 ms):")
    for endpoint in sorted(summary.endpoints, key=lambda e: (e.p95, e.p99), reverse=True)[:slowest]:
        lines.append(
            f"  {endpoint.method:<4} {endpoint.name:<42} {endpoint.requests:>6,}  "
            f"{endpoint.p50:>5.0f} / {endpoint.p95:>5.0f} / {endpoint.p99:>5.0f}"
            + (f"  ({endpoint.failures} failed)" if endpoint.failures else "")
        )
    for occurrences, name, error in summary.failure_messages[:5]:
        lines.append(f"  failure ×{occurrences}: {name}: {error}")
    verdict = "MET" if summary.target_met else "MISSED"
    reasons = []
    if summary.failures > TARGET_FAILURES:
        reasons.append(f"{summary.failures} failures")
    if summary.p95 > TARGET_P95_MS:
        reasons.append(f"p95 {summary.p95:.0f} ms > {TARGET_P95_MS} ms")
    because = f" ({', '.join(reasons)})" if reasons else ""
    lines.append(f"Target       0 errors and p95 ≤ {TARGET_P95_MS} ms: {verdict}{because}")
    return lines
