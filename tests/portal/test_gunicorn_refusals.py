"""Requests gunicorn refuses before Django sees them (a request line or a header over its
limits) get the portal's own page in Korean and English, not gunicorn's English one: the
web process runs with the repository's gunicorn.conf.py, as deployed (docs/operations.md)."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.celery_worker import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _ask(port: int, raw: bytes) -> tuple[str, dict[str, str], str]:
    """Send one raw HTTP request; return the status line, the headers and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return status, headers, body.decode("utf-8")


def _answers(port: int) -> bool:
    try:
        return _ask(port, b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")[0] != ""
    except OSError:
        return False


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "yeoncheon_portal.wsgi", "--bind", f"127.0.0.1:{port}", "-w", "1"],
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    try:
        wait_for(lambda: _answers(port), timeout=60, message=f"gunicorn ({log})")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_an_address_too_long_gets_the_portals_414_page(gunicorn_port):
    path = "/track/?q=" + "가" * 3000
    raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    status, headers, body = _ask(gunicorn_port, raw)
    assert status.startswith("HTTP/1.1 414")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "주소가 너무 깁니다" in body
    assert "The address is too long" in body
    assert 'lang="ko"' in body and 'lang="en"' in body


def test_headers_too_large_get_the_portals_431_page(gunicorn_port):
    raw = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: a=" + b"x" * 9000 + b"\r\n\r\n"
    status, headers, body = _ask(gunicorn_port, raw)
    assert status.startswith("HTTP/1.1 431")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "쿠키" in body and "cookies" in body


def test_an_ordinary_request_is_served_by_the_same_worker(gunicorn_port):
    status, _, body = _ask(gunicorn_port, b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    assert status.split()[1] in {"200", "503"}
    assert "Bad Request" not in body
