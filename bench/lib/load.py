"""Load generation for the web benchmark: wrk runs, its report parsed, plain HTTP helpers.

Everything goes to 127.0.0.1 only, for a bounded duration.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    output: str


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency: {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> Result:
    """Requests/sec, the 50th and 99th latency percentiles, and error counts."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        errors += int(bad.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        # Sync workers close each connection after answering: wrk counts some of those
        # closes as read errors; connect errors and timeouts are real failures.
        errors += int(sockets.group(1)) + int(sockets.group(4))
    return Result(rps, p50, p99, requests, errors, output)


def run_wrk(
    url: str,
    *,
    seconds: int,
    threads: int = 2,
    connections: int = 8,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    args: list[str] | None = None,
) -> Result:
    command = [
        wrk_path() or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if args:
        command += ["--", *args]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


# --- Plain HTTP (keep-alive not needed: a handful of requests) ----------------------------
class Browser:
    """Cookies and the CSRF dance against one host, with http.client."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, response.getheader("Location") or "", text

    def csrf_field(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token in the page")
        return match.group(1)

    def login(self, username: str, password: str) -> str:
        """Sign in through /admin/login/ and return the Cookie header for wrk."""
        status, _location, html = self.request("GET", "/admin/login/")
        if status != 200:
            raise RuntimeError(f"/admin/login/ answered {status}")
        form = {
            "csrfmiddlewaretoken": self.csrf_field(html),
            "username": username,
            "password": password,
            "next": "/admin/",
        }
        status, location, _html = self.request("POST", "/admin/login/?next=/admin/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed ({status} {location})")
        return self.cookie_header()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


FILING_LUA = r"""
-- One filing per request, each with its own one-time form token (generated beforehand,
-- signed with the server's key); the CSRF cookie and field come from one GET.
local tokens = {}
local index = 0
accepted = 0  -- globals: done() reads them with thread:get
other = 0
local out = nil
local prefix = ""
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = io.open(args[1], "r")
  local n = 0
  for line in file:lines() do
    if n % tonumber(args[3]) == tid then table.insert(tokens, line) end
    n = n + 1
  end
  file:close()
  local pf = io.open(args[2], "r")
  prefix = pf:read("*a")
  pf:close()
  out = io.open(args[4] .. "." .. tid, "w")
end

function request()
  index = index + 1
  local token = tokens[index]
  if token == nil then
    token = "exhausted"
  end
  return wrk.format("POST", nil, nil, prefix .. token)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status == 302 and string.find(location, "/receipt/", 1, true) then
    accepted = accepted + 1
    out:write(location, "\n")
    out:flush()
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    o = o + thread:get("other")
  end
  io.write(string.format("FILINGS accepted=%d other=%d\n", a, o))
end
"""


PATHS_LUA = r"""
-- GET the paths listed in args[1] (one a line) in turn, each thread from its own offset,
-- so that no page is asked for twice in a row: the varied (cold) rows of bench/web.py.
local paths = {}
local index = 0
local count = 0

function setup(thread)
  thread:set("tid", count)
  count = count + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  index = tid * math.floor(#paths / 2)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
"""
