"""Benchmark: 10,000 SMS notices through 2 Celery worker processes against a fake Twilio
endpoint, compared with that endpoint's own maximum rate measured in the same run.

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
a database `bench_notifications` is created and dropped) and Redis (a private
redis-server on a spare port when the binary exists, else BENCH_REDIS_URL, default
redis://127.0.0.1:6379/2). Prints "skipped: …" and exits 0 when they are not reachable.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.lib import pg  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "10000"))
WORKERS = 2
DB_NAME = "bench_notifications"
CELERY = Path(sys.executable).with_name("celery")
DEADLINE_SECONDS = 120


def skipped(reason: str) -> None:
    print(f"skipped: {reason}")
    sys.exit(0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(host: str, port: int, payload: bytes | None = None) -> bool:
    try:
        with socket.create_connection((host, port), 1) as sock:
            if payload is None:
                return True
            sock.sendall(payload)
            return bool(sock.recv(16))
    except OSError:
        return False


def wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)


def measure_fake_rate(base_url: str, seconds: float = 3.0, threads: int = 8) -> float:
    """The fake endpoint's own maximum: as many creates as 8 client threads can get."""
    import requests

    from tests.fixtures.notifications import ACCOUNT_SID, AUTH_TOKEN

    url = f"{base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        session = requests.Session()
        n = 0
        while time.monotonic() < stop:
            body = f"calibration {index}-{n}"
            response = session.post(
                url, data={"To": "+821000000000", "Body": body}, auth=(ACCOUNT_SID, AUTH_TOKEN)
            )
            response.raise_for_status()
            n += 1
        counts[index] = n

    started = time.monotonic()
    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parsed = urlparse(pg.ADMIN_URL)
    if not answers(parsed.hostname or "127.0.0.1", parsed.port or 5432):
        skipped(f"PostgreSQL is not reachable at {parsed.hostname}:{parsed.port or 5432}")
    try:
        pg.connect().close()
    except Exception as exc:
        skipped(f"PostgreSQL refused the connection ({exc.__class__.__name__})")

    processes: list[subprocess.Popen] = []
    redis_dir = ROOT / "var" / "bench-redis"
    if shutil.which("redis-server"):
        port = free_port()
        redis_dir.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(redis_dir)]
        processes.append(
            subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        redis_url = f"redis://127.0.0.1:{port}/0"
        wait(lambda: answers("127.0.0.1", port, b"PING\r\n"), 20, "redis-server")
    else:
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
        r = urlparse(redis_url)
        if not answers(r.hostname or "127.0.0.1", r.port or 6379, b"PING\r\n"):
            skipped(f"Redis is not reachable at {redis_url}")

    fake_port = free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    from tests.fixtures.notifications import twilio_env

    db_url = pg.database_url(DB_NAME)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yeoncheon_portal.settings",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
        **twilio_env(fake_url),
    }
    pg.recreate(DB_NAME)
    try:
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    f"from tests.fixtures.notifications import serve; serve({fake_port})",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
        wait(lambda: answers("127.0.0.1", fake_port), 20, "the fake endpoint")
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"database migrated in {time.monotonic() - started:.1f}s")
        fake_rate = measure_fake_rate(fake_url)
        print(f"fake endpoint maximum: {fake_rate:,.0f} messages/s (8 client threads)")
        run_bench(env, processes, fake_rate, fake_url)
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        pg.drop(DB_NAME)


def run_bench(env: dict, processes: list, fake_rate: float, fake_url: str) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    import requests
    from django.utils import timezone

    from notifications import services
    from notifications.models import SmsMessage, Status
    from notifications.segments import count_segments

    workers = []
    for i in range(WORKERS):
        log = open(ROOT / "var" / f"bench-worker-{i}.log", "wb")  # noqa: SIM115
        command = [str(CELERY), "-A", "yeoncheon_portal", "worker", "-P", "solo"]
        command += ["-n", f"bench{i}@%h", "-l", os.environ.get("BENCH_WORKER_LOG_LEVEL", "WARNING")]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        workers.append(process)

    # The rows as send_sms writes them (one template render each), inserted in bulk.
    started = time.monotonic()
    now = timezone.now()
    rows = []
    for i in range(MESSAGES):
        body = services.render_sms("notifications/test", {"note": f"bench-{i}"})
        info = count_segments(body)
        rows.append(
            SmsMessage(
                key=f"bench-{i}",
                to=f"+82102{i:07d}",
                body=body,
                template="notifications/test",
                segments=info.segments,
                encoding=info.encoding,
                is_long=info.is_long,
                next_attempt_at=now,
                created_at=now,
            )
        )
    SmsMessage.objects.bulk_create(rows, batch_size=1000)
    print(f"{MESSAGES:,} outbox rows written in {time.monotonic() - started:.1f}s")
    from yeoncheon_portal.celery import app

    names = {f"bench{i}@{socket.gethostname()}" for i in range(WORKERS)}
    wait(
        lambda: names <= {name for reply in app.control.ping(timeout=0.5) for name in reply},
        60,
        "both workers",
    )

    started = time.monotonic()
    queued = services.redispatch_stale(stale_seconds=0, limit=MESSAGES)
    published = time.monotonic() - started
    deadline = started + DEADLINE_SECONDS
    sent = 0
    while time.monotonic() < deadline:
        sent = SmsMessage.objects.filter(status=Status.SENT).count()
        if sent >= MESSAGES:
            break
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    stats = requests.get(f"{fake_url}/_stats", timeout=5).json()
    rate = sent / elapsed
    print(f"published {queued:,} delivery tasks in {published:.1f}s")
    print(
        f"delivered {sent:,}/{MESSAGES:,} in {elapsed:.1f}s with {WORKERS} workers: "
        f"{rate:,.0f} messages/s"
    )
    print(f"ratio to the fake endpoint's maximum: {rate / fake_rate:.2f}")
    print(f"duplicates at the endpoint: {stats['duplicates']}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if sent < MESSAGES:
        print(
            f"note: stopped at the {DEADLINE_SECONDS}s deadline; the rate is over the "
            f"{sent:,} delivered (the rest is re-dispatched when the workers return)"
        )
    if stats["duplicates"]:
        print("FAILED: the endpoint received a message twice")
        sys.exit(1)


if __name__ == "__main__":
    main()
