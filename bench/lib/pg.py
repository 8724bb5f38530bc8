"""The benchmarks' own PostgreSQL databases: created fresh, dropped at the end.

The server comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
postgres); each benchmark names its database (bench_web, bench_dashboard, …).
"""

from __future__ import annotations

import os
from urllib.parse import urlparse, urlunparse

ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def connect(dbname: str | None = None):
    """An autocommit connection to ``dbname`` (default: the server's admin database)."""
    import psycopg2

    parsed = urlparse(ADMIN_URL)
    conn = psycopg2.connect(
        dbname=dbname or (parsed.path or "/postgres").lstrip("/") or "postgres",
        user=parsed.username or "postgres",
        password=parsed.password,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        connect_timeout=3,
    )
    conn.autocommit = True
    return conn


def database_url(name: str) -> str:
    return urlunparse(urlparse(ADMIN_URL)._replace(path="/" + name))


def recreate(name: str) -> None:
    """Drop the database (closing its connections) and create it empty."""
    conn = connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def drop(name: str) -> None:
    conn = connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()
