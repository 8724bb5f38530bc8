"""Write bench/results/latest.json as the Markdown table of docs/performance.md.

Run from the repository root: `python bench/lib/table.py` (nothing is measured; `make
bench` runs it at the end). It prints the table and puts it in docs/performance.md
between the two TABLE_MARKS lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "latest.json"
DOC = ROOT / "docs" / "performance.md"
TABLE_MARKS = ("<!-- bench table: start -->", "<!-- bench table: end -->")


def _queries(entry: dict) -> str:
    if "queries" not in entry:
        return "—"
    drawn, warm = entry.get("queries_drawn", entry["queries"]), entry["queries"]
    return str(warm) if drawn == warm else f"{drawn} → {warm}"


def _in_process(entry: dict) -> str:
    if "drawn_ms" not in entry:
        return "—"
    if "warm_ms" not in entry:  # a varied row: every request is drawn
        return f"{entry['drawn_ms']:.1f}"
    return f"{entry['drawn_ms']:.1f} → {entry['warm_ms']:.1f}"


def _goal(entry: dict) -> str:
    if "at_least" not in entry:
        return str(entry["goal"])
    least = "yes" if entry["at_least_met"] else "**no**"
    return f"{entry['goal']} (at least {entry['at_least']}: {least})"


def _scale(entry: dict) -> str:
    if "vs_smallest" not in entry:
        return "—"
    return f"{entry['vs_smallest']:.2f} ({entry['vs_smallest_load_corrected']:.2f})"


def table(report: dict) -> str:
    lines = [
        "| page | filings | queries drawn → warm | in-process ms drawn → warm | req/s "
        "| p50 ms | p99 ms | baseline req/s | ratio | goal | met | vs 10k (load-corrected) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in report["scenarios"]:
        met = "yes" if e["met"] else "**no**"
        lines.append(
            f"| {e['name']} | {e['rows']:,} | {_queries(e)} | {_in_process(e)} "
            f"| {e['rps']:.1f} | {e['p50_ms']:.1f} | {e['p99_ms']:.1f} "
            f"| {e['baseline_rps']:.1f} | {e['ratio']:.2f} | {_goal(e)} | {met} | {_scale(e)} |"
        )
    split = [e for e in report["scenarios"] if "sql_ms" in e]
    if split:
        lines += [
            "",
            "Where the drawn milliseconds go (in-process medians, `bench/lib/split.py`): SQL is "
            "the statements' round trips to PostgreSQL, templates the drawing (less any SQL a "
            "template sets off), the rest middleware, the view's code and the ORM building "
            "queries and rows.",
            "",
            "| page | filings | drawn ms | SQL ms | templates ms | the rest ms |",
            "|---|---|---|---|---|---|",
        ]
        for e in split:
            rest = e["drawn_ms"] - e["sql_ms"] - e["template_ms"]
            lines.append(
                f"| {e['name']} | {e['rows']:,} | {e['drawn_ms']:.1f} | {e['sql_ms']:.1f} "
                f"| {e['template_ms']:.1f} | {rest:.1f} |"
            )
    refresh = report.get("dashboard_refresh", {})
    if refresh:
        lines.append("")
        lines += [
            f"The dashboard's scheduled refresh (every five minutes) at {int(n):,} filings: "
            f"{r['sets']} figure sets in {r['seconds']:.1f} s"
            for n, r in refresh.items()
        ]
    rss = report.get("worker_rss_mib", {})
    if rss:
        lines.append("")
        lines += [
            f"gunicorn worker RSS after the bench at {int(n):,} filings: "
            + ", ".join(f"{m} MiB" for m in sizes)
            for n, sizes in rss.items()
        ]
    return "\n".join(lines)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    text = table(json.loads(path.read_text(encoding="utf-8")))
    print(text)
    doc = DOC.read_text(encoding="utf-8")
    start, end = TABLE_MARKS
    if start in doc and end in doc:
        head, rest = doc.split(start, 1)
        DOC.write_text(f"{head}{start}\n{text}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
