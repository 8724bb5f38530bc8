"""The processes the web benchmark starts for itself: a Redis server and gunicorn.

Each is started with a known pid and stopped by that pid only.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f}s")


def stop(process: subprocess.Popen | None, seconds: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class Redis:
    """A private redis-server without persistence, stoppable and restartable."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self.ping, f"redis-server on port {self.port}")

    def stop(self) -> None:
        stop(self.process)
        self.process = None


class Gunicorn:
    """The portal under gunicorn (sync workers), bound to 127.0.0.1 only."""

    def __init__(self, root: Path, port: int, env: dict[str, str], log: Path, workers: int = 2):
        self.root, self.port, self.env, self.log, self.workers = root, port, env, log, workers
        self.process: subprocess.Popen | None = None

    def answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def start(self) -> None:
        gunicorn = self.root / ".venv" / "bin" / "gunicorn"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(gunicorn if gunicorn.exists() else "gunicorn"),
                    "yeoncheon_portal.wsgi:application",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "--log-level",
                    "warning",
                ],
                cwd=self.root,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=log,
            )
        try:
            _wait(self.answers, "gunicorn", 60)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"gunicorn did not answer; see {self.log}") from None

    def worker_rss_mib(self) -> list[float]:
        """Each worker's resident memory now (MiB), from /proc."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def stop(self) -> None:
        stop(self.process, 20)
        self.process = None
