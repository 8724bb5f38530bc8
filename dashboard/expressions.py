"""Database expressions the dashboard needs on both PostgreSQL and SQLite.

`Median` is PostgreSQL's `percentile_cont(0.5)`; on SQLite (the embedded default) the
same aggregate is a small function registered on each new connection, so the median is
still computed by the database in the one query that groups the rows.
"""

from __future__ import annotations

import statistics

from django.db.models import Aggregate, FloatField, Func


class EpochSeconds(Func):
    """A timestamp as seconds since the epoch (float), for differences of two moments."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::double precision"
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) * 86400.0)")


class Median(Aggregate):
    """The median of an expression; NULLs are left out. An aggregate like any other, so
    it takes `filter=` (PostgreSQL writes it as FILTER (WHERE …) after the ordered set)."""

    name = "Median"
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def as_sqlite(self, compiler, connection, **extra):
        clone = self.copy()
        clone.function = "dashboard_median"
        clone.template = Aggregate.template
        return clone.as_sql(compiler, connection, **extra)


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: give SQLite the median aggregate."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("dashboard_median", 1, _SqliteMedian)
