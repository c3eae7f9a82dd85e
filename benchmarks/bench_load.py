"""Benchmark: the whole site under load on the real stack — PostgreSQL and gunicorn (issue 10 §7).

Builds (or reuses) a PostgreSQL database of its own holding the demo (``manage.py migrate`` and
``load_demo``; DEBUG is on for that set-up step only), then starts the production server of
docs/deploy.md — gunicorn, one synchronous worker per core, DEBUG off — on a loopback port and
drives ``--clients`` concurrent clients for ``--seconds`` against a mix of:

* every role's main pages, each role signed in once through the real login form
  (provincial officer, city reviewer, county office, town body, expert, auditor);
* the public notice (公示) pages, anonymous;
* API pulls (towns, enrolments, lists, programmes) with the city reviewer's token;
* API pushes: the town body's token re-submits its 2026Q2 quarterly report (all its values and
  ledger lines, a new idempotency key each time, so each push is a real new revision).

Every loop is bounded in time and count, and the server is stopped at the end whatever happens.
Nothing listens anywhere but 127.0.0.1. Prints requests, errors, p50 and p95 per page kind and
overall; the last line is ``ratio: N`` with N = 300 ms / overall p95 (target: 0 errors, p95 < 300 ms).

The API rate limit is raised for the run (``API_REQUESTS_PER_MINUTE``, default 1,000,000 here) so the
limiter is counted on every request but never refuses the benchmark's own two tokens.

    .venv/bin/python benchmarks/bench_load.py [--clients 20] [--seconds 60] [--port 0] [--workers N]
        [--database-url postgres://postgres@127.0.0.1:5432/xiaozhen_bench_load] [--rebuild]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
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
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
TARGET_MS = 300.0
MAX_REQUESTS = 300_000  # a hard bound on the whole run, whatever the duration
DEFAULT_DB = os.environ.get("BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xiaozhen_bench_load")
ROLE_PASSWORD = "bench-load-password-1"  # set on the demo accounts the bench signs in with
CITY_TOKEN = "xz_demo-city-reviewer-token-not-a-secret"
TOWN_TOKEN = "xz_demo-town-body-token-not-a-secret-0"
PUSH_TOWN, PUSH_PROGRAMME, PUSH_PERIOD = "320612-002", "tongzhou-towns", "2026Q2"

# role → the demo login → its main pages (a path ending in "{town}" gets the town body's town code)
ROLE_PAGES: dict[str, tuple[str, list[str]]] = {
    "province": ("province", ["/", "/towns/", "/audit/", "/applications/queue/", "/reports/", "/assessments/",
                              "/lists/", "/projects/"]),
    "city": ("city", ["/", "/towns/", "/applications/queue/", "/reports/"]),
    "county": ("county", ["/", "/towns/", "/reports/"]),
    "town": ("town", ["/", "/towns/{town}/", "/reports/"]),
    "expert": ("expert", ["/", "/reviews/"]),
    "auditor": ("auditor", ["/", "/audit/"]),
}
API_PULLS = ["/api/towns/", "/api/enrolments/", "/api/lists/", "/api/programmes/", "/api/me"]
# How often each kind is picked: pages by role, the public notice, API pulls, API pushes.
KIND_WEIGHTS = {"province": 3, "city": 2, "county": 2, "town": 2, "expert": 1, "auditor": 1,
                "public": 3, "api_pull": 3, "api_push": 1}


# --- child processes: environment, set-up and server -------------------------------------------
def child_env(database_url: str, *, debug: bool) -> dict[str, str]:
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
        "MEDIA_ROOT": str(ROOT / "var" / "bench_load_media"),
        "API_REQUESTS_PER_MINUTE": env.get("API_REQUESTS_PER_MINUTE", "1000000"),
    })
    return env


def ensure_database(database_url: str, rebuild: bool) -> None:
    """Create the PostgreSQL database (dropped first with --rebuild) through the server's own `postgres` DB."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"database name {name!r}: letters, digits and _ only")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    try:
        pg = psycopg.connect(admin, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise SystemExit(f"PostgreSQL is not reachable at {admin}: start it or give --database-url ({exc})") from None
    with pg:
        if rebuild:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            pg.execute(f'CREATE DATABASE "{name}"')


def setup() -> None:
    """(child, DEBUG on) Migrate, load the demo unless it is there, give the bench's role logins a
    real password hash (the demo's cheap one is refused with DEBUG off); print what the clients need."""
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User
    from lists.models import ListPublication

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="province").exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for _, (username, _pages) in ROLE_PAGES.items():
        user = User.objects.get(username=username)
        if not user.check_password(ROLE_PASSWORD):
            user.set_password(ROLE_PASSWORD)
            user.save(update_fields=["password"])
    public = [f"/public/lists/{pk}/" for pk in ListPublication.objects.filter(
        status__in=["notice", "final"]).order_by("pk").values_list("pk", flat=True)]
    print(json.dumps({"town": User.objects.get(username="town").town.code, "public": ["/public/lists/", *public],
                      "users": User.objects.count()}))


def server_command(port: int, workers: int) -> list[str]:
    """The production server (docs/deploy.md): gunicorn, synchronous workers, no access log."""
    return [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers),
            "--worker-class", "sync", "--backlog", "256", "--log-level", "warning",
            "--chdir", str(ROOT / "web"), "config.wsgi:application"]


# --- HTTP helpers --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not start on {HOST}:{port} within {timeout:.0f} s")


def cookies_of(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(port: int, username: str) -> dict[str, str]:
    """Sign in through the real login form (CSRF token and all); return the cookies."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    html = response.read().decode()
    cookies_of(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        raise SystemExit("no CSRF token on the login page")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": ROLE_PASSWORD})
    conn.request("POST", "/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar),
        "Referer": f"http://{HOST}:{port}/login/"})
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in of {username} failed: HTTP {response.status}")
    return {"sessionid": jar["sessionid"]}


def api_get(port: int, path: str, token: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def push_body(port: int) -> dict:
    """The town's stored report for PUSH_PERIOD (every value and ledger line), to push again."""
    status, body = api_get(port, f"/api/reports/?town={PUSH_TOWN}&period={PUSH_PERIOD}", TOWN_TOKEN)
    if status != 200:
        raise SystemExit(f"GET /api/reports/ for the push body: HTTP {status} {body[:300]!r}")
    items = [i for i in json.loads(body)["items"] if i["period"] == PUSH_PERIOD and i["programme"] == PUSH_PROGRAMME]
    if not items:
        raise SystemExit(f"the demo has no {PUSH_PERIOD} report of {PUSH_TOWN} to push again")
    report = items[0]
    return {"town": PUSH_TOWN, "programme": PUSH_PROGRAMME, "period": PUSH_PERIOD,
            "values": report["values"], "ledger": report["ledger"]}


# --- the clients --------------------------------------------------------------------------------
class Plan:
    """What a client may ask for: (kind, method, path, headers, body) choices by kind."""

    def __init__(self, jars: dict[str, dict[str, str]], town: str, public: list[str], push: dict):
        self.pages = {role: [p.replace("{town}", town) for p in pages] for role, (_, pages) in ROLE_PAGES.items()}
        self.jars = jars
        self.public = public
        self.push = push
        self.kinds = list(KIND_WEIGHTS)
        self.weights = [KIND_WEIGHTS[k] for k in self.kinds]
        self.keys = itertools.count()

    def pick(self, rng: random.Random) -> tuple[str, str, str, dict[str, str], bytes | None]:
        kind = rng.choices(self.kinds, self.weights)[0]
        if kind in self.pages:
            path = rng.choice(self.pages[kind])
            return f"{kind} {path}", "GET", path, {"Cookie": cookie_header(self.jars[kind])}, None
        if kind == "public":
            path = rng.choice(self.public)
            return "public 公示" + (" index" if path == "/public/lists/" else " list"), "GET", path, {}, None
        if kind == "api_pull":
            path = rng.choice(API_PULLS)
            return f"api GET {path}", "GET", path, {"Authorization": f"Bearer {CITY_TOKEN}"}, None
        body = {**self.push, "idempotency_key": f"bench-{os.getpid()}-{next(self.keys)}-{rng.randrange(10**9)}"}
        return ("api POST /api/reports/", "POST", "/api/reports/",
                {"Authorization": f"Bearer {TOWN_TOKEN}", "Content-Type": "application/json"},
                json.dumps(body, ensure_ascii=False).encode())


def ok(method: str, status: int, body: bytes, path: str) -> bool:
    if method == "POST":
        return status in (200, 201)
    if path.startswith("/api/"):
        return status == 200
    return status == 200 and b"</html>" in body


def client_loop(port: int, plan: Plan, deadline: float, seed: int, results: dict[str, list[float]],
                errors: dict[str, list[str]], budget: list[int], lock: threading.Lock) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    mine: dict[str, list[float]] = defaultdict(list)
    my_errors: dict[str, list[str]] = defaultdict(list)
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        kind, method, path, headers, body = plan.pick(rng)
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers={**headers, "Connection": "keep-alive"})
            response = conn.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if ok(method, response.status, payload, path):
                mine[kind].append(elapsed)
            else:
                my_errors[kind].append(f"HTTP {response.status} {method} {path} {payload[:200]!r}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
        except Exception as exc:
            my_errors[kind].append(f"{type(exc).__name__}: {exc} {method} {path}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.close()
    with lock:
        for kind, values in mine.items():
            results[kind].extend(values)
        for kind, values in my_errors.items():
            errors[kind].extend(values)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=0, help="loopback port for gunicorn (default: a free one)")
    parser.add_argument("--database-url", default=DEFAULT_DB, help="a PostgreSQL database of the bench's own")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the bench database first")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup()
        return 0
    if not args.database_url.startswith("postgres"):
        raise SystemExit("bench_load runs on PostgreSQL: give --database-url postgres://…")
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600:
        raise SystemExit("--clients 1..200 and --seconds up to 600")

    started = time.perf_counter()
    ensure_database(args.database_url, args.rebuild)
    me = [sys.executable, str(Path(__file__).resolve())]
    built = subprocess.run([*me, "--setup"], env=child_env(args.database_url, debug=True), capture_output=True,
                           text=True, cwd=ROOT, check=False, timeout=1800)
    if built.returncode != 0:
        print(built.stderr[-3000:], file=sys.stderr)
        return 1
    info = json.loads(built.stdout.strip().splitlines()[-1])
    print(f"database {urlsplit(args.database_url).path.lstrip('/')} (PostgreSQL): the demo, {info['users']} accounts "
          f"(ready in {time.perf_counter() - started:.1f} s)")

    port = args.port or free_port()
    env = child_env(args.database_url, debug=False)
    server = subprocess.Popen(server_command(port, args.workers), env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(port)
        jars = {role: sign_in(port, username) for role, (username, _) in ROLE_PAGES.items()}
        plan = Plan(jars, info["town"], info["public"], push_body(port))
        # Warm every worker (imports, templates) on the GET pages before the clock starts.
        warm = random.Random(0)
        for _ in range(4 * args.workers * len(KIND_WEIGHTS)):
            _kind, method, path, headers, _body = plan.pick(warm)
            if method == "GET":
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                conn.request(method, path, headers=headers)
                conn.getresponse().read()
                conn.close()
        results: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, list[str]] = defaultdict(list)
        lock = threading.Lock()
        budget = [MAX_REQUESTS]
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client_loop, daemon=True,
                                    args=(port, plan, deadline, n, results, errors, budget, lock))
                   for n in range(args.clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 120)
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    print(f"{args.clients} clients × {args.seconds:.0f} s on {HOST}:{port}; server: gunicorn, {args.workers} sync "
          f"worker process(es), DEBUG off, PostgreSQL; clients on the same cores")
    print(f"{'page kind':<40}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
    everything: list[float] = []
    total_errors = 0
    for kind in sorted(set(results) | set(errors)):
        values, failed = results.get(kind, []), errors.get(kind, [])
        everything.extend(values)
        total_errors += len(failed)
        print(f"{kind:<40}{len(values) + len(failed):>9}{len(failed):>8}"
              f"{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}")
    p50, p95 = percentile(everything, 50), percentile(everything, 95)
    count = len(everything) + total_errors
    print(f"{'all':<40}{count:>9}{total_errors:>8}{p50:>9.1f}{p95:>9.1f}")
    print(f"throughput {count / wall:.0f} requests/s; errors {total_errors}; target p95 < {TARGET_MS:.0f} ms and "
          f"no errors: {'met' if p95 < TARGET_MS and not total_errors else 'MISSED'}")
    for kind, values in sorted(errors.items()):
        for line in values[:3]:
            print(f"  error on {kind}: {line}")
    if not everything:
        print("ratio: 0")
        return 1
    print(f"ratio: {TARGET_MS / p95:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
