"""`python manage.py deadline 2026-09-22T10:00 --days 3`: print a due time (ISO 8601).

Counts with the same calendars as the portal (legal periods: national and temporary
public holidays; stage budgets: also the county's closures), through the public functions
of `complaints.deadlines`, so its answers are the API's answers. `--days 0` is "즉시".
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from complaints import deadlines


def period_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise CommandError(f"--days: 정수가 아닙니다: {text!r}") from None
    if days < deadlines.IMMEDIATE_PERIOD:
        raise CommandError(
            f"--days: 처리기간은 0(즉시) 또는 1일 이상이어야 합니다 (받은 값 {days})"
        )
    return days


class Command(BaseCommand):
    help = (
        "법정처리기한을 계산합니다. Print the legal due time of a filing received at WHEN "
        "(ISO 8601; without an offset it is read as Asia/Seoul)."
    )

    def add_arguments(self, parser):
        parser.add_argument("when", help="receipt time, e.g. 2026-09-22T10:00")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument(
            "--days", help="legal period in days (1 or more; 0 is 즉시, 3 working hours)"
        )
        what.add_argument(
            "--stage",
            choices=sorted(deadlines.STAGE_ALIASES),
            help="a stage budget (C2) instead of a legal period",
        )
        parser.add_argument(
            "--explain", action="store_true", help="also list the working spans counted"
        )

    def handle(self, *args, when, days, stage, explain, **options):
        try:
            start = datetime.fromisoformat(when)
        except ValueError:
            raise CommandError(
                f"날짜와 시각을 읽을 수 없습니다: {when!r} (예: 2026-09-22T10:00)"
            ) from None
        if start.tzinfo is None:
            start = start.replace(tzinfo=deadlines.SEOUL)
        try:
            if stage:
                due = deadlines.stage_due_at(start, stage)
                name = deadlines.STAGE_ALIASES[stage]
                budget = deadlines.STAGE_BUDGET_DAYS[name]
                rule = f"stage {name}: {budget} working days of 8 h from entry"
            else:
                period = period_days(days)
                due = deadlines.legal_due_at(start, period)
                hours = period * deadlines.HOURS_PER_DAY
                if period == deadlines.IMMEDIATE_PERIOD:
                    rule = f"즉시: {deadlines.IMMEDIATE_HOURS} working hours"
                elif deadlines.counted_in_days(period):
                    rule = f"{period} days: counted in working days, the first included"
                else:
                    rule = f"{period} days: counted in working hours ({hours} h)"
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(due.isoformat())
        if explain:
            self.stdout.write(f"rule: {rule}")
            total = 0.0
            for span_start, span_end in deadlines.counted_spans(start, due, legal=not stage):
                span_hours = (span_end - span_start).total_seconds() / 3600
                total += span_hours
                self.stdout.write(
                    f"  {span_start:%Y-%m-%d %a %H:%M}–{span_end:%H:%M}  {span_hours:g} h"
                    f"  (total {total:g} h)"
                )
