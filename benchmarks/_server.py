"""What the web benchmarks share: the production server on a loopback port, sign-in through the real login
form, concurrent keep-alive clients bounded in time and count, and the p50/p95 table ending in ``ratio: N``.

Used by bench_web.py, bench_load.py and bench_cockpit.py. Nothing listens anywhere but 127.0.0.1; the server
is stopped at the end whatever happens.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


class Request(NamedTuple):
    """One request a client makes: ``name`` is the row of the results table it counts in."""

    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None


# --- child processes: environment and server ----------------------------------------------------
def child_env(database_url: str, *, debug: bool = False, **extra: str) -> dict[str, str]:
    """The settings a child process (set-up or server) runs with: production settings, DEBUG off unless
    asked, a throw-away secret key, loopback hosts, plain cookies, no network for PROJ."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "web"), str(ROOT / "src")]),
        "DATABASE_URL": database_url,
        "DEBUG": "true" if debug else "false",
        "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "ERROR",
        "PROJ_NETWORK": "OFF",
        **extra,
    })
    return env


def server_command(port: int, workers: int) -> list[str]:
    """The production server (docs/deploy.md): gunicorn, ``workers`` synchronous worker processes (one per
    core: the pages are CPU-bound), no access log."""
    return [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers),
            "--worker-class", "sync", "--backlog", "256", "--log-level", "warning",
            "--chdir", str(ROOT / "web"), "config.wsgi:application"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not start on {HOST}:{port} within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(port: int, workers: int, env: dict[str, str], *, stop_timeout: float = 10.0,
                   start_timeout: float = 60.0) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn on ``port`` until the block ends (terminated, then killed with its process group if stuck)."""
    server = subprocess.Popen(server_command(port, workers), env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(port, start_timeout)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_setup(script: Path, args: list[str], env: dict[str, str], *, timeout: float | None = None) -> str | None:
    """Run ``script --setup ARGS`` in a child process; its last line of output, or None (stderr printed)."""
    built = subprocess.run([sys.executable, str(script), "--setup", *args], env=env, capture_output=True, text=True,
                           cwd=ROOT, check=False, timeout=timeout)
    if built.returncode != 0:
        print(built.stderr[-3000:], file=sys.stderr)
        return None
    return built.stdout.strip().splitlines()[-1]


# --- HTTP helpers ------------------------------------------------------------------------------
def cookies_of(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(port: int, username: str, password: str, *, timeout: float = 60.0) -> dict[str, str]:
    """Sign in through the real login form (CSRF token and all); return the cookies."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    html = response.read().decode()
    cookies_of(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        raise SystemExit("no CSRF token on the login page")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": password})
    conn.request("POST", "/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar),
        "Referer": f"http://{HOST}:{port}/login/"})
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in of {username} failed: HTTP {response.status}")
    return jar


def fetch(port: int, path: str, headers: dict[str, str] | None = None, *, method: str = "GET",
          body: bytes | None = None, timeout: float = 60.0) -> tuple[int, bytes]:
    """One request on a fresh connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, payload


# --- the clients -------------------------------------------------------------------------------
class Results:
    """Milliseconds of each successful request and the text of each failed one, by table row."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.wall = 0.0


def drive(port: int, *, clients: int, seconds: float, max_requests: int, pick: Callable[[random.Random, int], Request],
          ok: Callable[[Request, int, bytes], bool], timeout: float = 30.0, join_grace: float = 60.0) -> Results:
    """``clients`` threads, each on one keep-alive connection, asking for ``pick(rng, client)`` until
    ``seconds`` pass or ``max_requests`` are made in all; ``ok`` says whether an answer counts as a success."""
    results = Results()
    lock = threading.Lock()
    budget = [max_requests]
    deadline = time.monotonic() + seconds

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        mine: dict[str, list[float]] = defaultdict(list)
        my_errors: dict[str, list[str]] = defaultdict(list)
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            request = pick(rng, seed)
            start = time.perf_counter()
            try:
                conn.request(request.method, request.path, body=request.body,
                             headers={**request.headers, "Connection": "keep-alive"})
                response = conn.getresponse()
                payload = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                if ok(request, response.status, payload):
                    mine[request.name].append(elapsed)
                else:
                    my_errors[request.name].append(
                        f"HTTP {response.status} {request.method} {request.path} {payload[:200]!r}")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
            except Exception as exc:
                my_errors[request.name].append(f"{type(exc).__name__}: {exc} {request.method} {request.path}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.close()
        with lock:
            for name, values in mine.items():
                results.times[name].extend(values)
            for name, failed in my_errors.items():
                results.errors[name].extend(failed)

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + join_grace)
    results.wall = time.perf_counter() - began
    return results


# --- the figures -------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def print_table(results: Results, names: list[str], *, label: str, width: int) -> tuple[list[float], int]:
    """requests (successes and failures), errors, p50 and p95 per row and overall; returns every time and
    the number of errors."""
    print(f"{label:<{width}}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}")
    everything: list[float] = []
    total_errors = 0
    for name in names:
        values, failed = results.times.get(name, []), results.errors.get(name, [])
        everything.extend(values)
        total_errors += len(failed)
        print(f"{name:<{width}}{len(values) + len(failed):>10}{len(failed):>8}"
              f"{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}")
    print(f"{'all':<{width}}{len(everything) + total_errors:>10}{total_errors:>8}"
          f"{percentile(everything, 50):>10.1f}{percentile(everything, 95):>10.1f}")
    return everything, total_errors


def machine_speed() -> float:
    """CPU seconds of a fixed piece of Python work shaped like a page's (200,000 small dicts built, sorted
    by a string key, 50,000 of them through JSON and back), the best of three: how fast this machine is
    right now. A shared virtual machine slows down, by half at times, when its host is busy, and shows no
    steal time; printed beside a result, this says which kind of minute the result was measured in."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        rows = [{"id": i, "name": f"town-{i}", "values": [i * 0.5, i * 2, str(i)]} for i in range(200_000)]
        rows.sort(key=lambda r: (r["name"][::-1], r["id"]))
        back = json.loads(json.dumps(rows[:50_000]))
        "".join(r["name"] for r in back)
        best = min(best, time.process_time() - start)
    return best


def print_verdict(results: Results, everything: list[float], total_errors: int, target_ms: float) -> int:
    """Throughput, whether the target is met, a few errors of each row, then the ``ratio: N`` line
    (N = target ÷ overall p95); the exit status."""
    p95 = percentile(everything, 95)
    count = len(everything) + total_errors
    print(f"throughput {count / max(results.wall, 1e-9):.0f} requests/s; errors {total_errors}; target p95 < "
          f"{target_ms:.0f} ms and no errors: {'met' if p95 < target_ms and not total_errors else 'MISSED'}")
    for name, failed in sorted(results.errors.items()):
        for line in failed[:3]:
            print(f"  error on {name}: {line}")
    if not everything:
        print("ratio: 0")
        return 1
    print(f"ratio: {target_ms / p95:.2f}")
    return 0
