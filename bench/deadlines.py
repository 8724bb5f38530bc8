"""How fast is the deadline clock, and is its cost flat in the period length?

Run from the repository root: `python bench/deadlines.py` (or `make bench`). It uses only
the pure module with a calendar built from the `holidays` package: no Django, no database.

It measures `legal_due_at` over periods 1–60 days and receipts spread over 2026–2027,
beside a naive walker measured in the same run on the same inputs (it steps day by day
and span by span, as a first implementation would), checks that both agree, and prints
calls per second for each, the ratio, and the rate per period bucket. The goal is at
least 100,000 calls per second in one process, flat in the period length.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from complaints.deadlines import SEOUL, legal_due_at, national_calendar

GOAL = 100_000
BUCKETS = [(1, 5), (6, 10), (11, 20), (21, 40), (41, 60)]
SPANS = [(9 * 60, 12 * 60), (13 * 60, 18 * 60)]  # minutes of the day

CAL = national_calendar()


def naive_due(received: datetime, period: int) -> datetime:
    """The walker: a day at a time, a span at a time (the baseline, not the product)."""
    local = received.astimezone(SEOUL)
    day = local.date()
    working = CAL._ordinal_set  # the same days off as the clock, so answers can agree

    def works(d: date) -> bool:
        return d.toordinal() in working

    if period >= 6:
        while not works(day):
            day += timedelta(days=1)
        left = period - 1
        while left:
            day += timedelta(days=1)
            if works(day):
                left -= 1
        return datetime(day.year, day.month, day.day, 18, 0, tzinfo=SEOUL)
    left = period * 8 * 60 * 60  # seconds
    now = local.hour * 3600 + local.minute * 60 + local.second
    while True:
        if works(day):
            for start, end in SPANS:
                begin = max(start * 60, now)
                if begin >= end * 60:
                    continue
                if left <= end * 60 - begin:
                    return datetime(day.year, day.month, day.day, tzinfo=SEOUL) + timedelta(
                        seconds=begin + left
                    )
                left -= end * 60 - begin
        day += timedelta(days=1)
        now = 0


def inputs(n: int, periods: tuple[int, int], seed: int) -> list[tuple[datetime, int]]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=SEOUL)
    span = 2 * 365 * 24 * 60  # two years of minutes
    return [
        (start + timedelta(minutes=rng.randrange(span)), rng.randint(*periods)) for _ in range(n)
    ]


def rate(function, cases, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for received, period in cases:
            function(received, period, calendar=CAL)
        best = min(best, time.perf_counter() - began)
    return len(cases) / best


def naive(received, period, calendar=None):
    return naive_due(received, period)


def main() -> int:
    cases = inputs(50_000, (1, 60), seed=1)
    sample = cases[:5_000]
    wrong = [(r, p) for r, p in sample if legal_due_at(r, p, calendar=CAL) != naive_due(r, p)]
    if wrong:
        print(f"MISMATCH with the walker on {len(wrong)} of {len(sample)} inputs: {wrong[:3]}")
        return 1
    clock = rate(legal_due_at, cases)
    walker = rate(naive, cases[:10_000], repeat=1)
    print(f"legal_due_at, periods 1-60, receipts 2026-2027: {clock:,.0f} calls/s")
    print(f"naive day-by-day walker, same inputs:           {walker:,.0f} calls/s")
    print(f"ratio clock / walker: {clock / walker:.1f}x")
    print("per period bucket (clock | walker | ratio):")
    for low, high in BUCKETS:
        bucket = inputs(20_000, (low, high), seed=low)
        c = rate(legal_due_at, bucket)
        w = rate(naive, bucket[:4_000], repeat=1)
        print(f"  {low:>2}-{high:<2} days: {c:>10,.0f} | {w:>10,.0f} | {c / w:5.1f}x")
    verdict = "meets" if clock >= GOAL else "MISSES"
    print(f"goal {GOAL:,} calls/s in one process: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
