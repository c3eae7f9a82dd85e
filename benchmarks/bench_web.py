"""Benchmark: the web pages officers live in, under 20 concurrent clients (issue 3 §13).

Builds (or reuses) a SQLite database of its own, ``var/bench_web.sqlite3``, with 5,000
Guangxi towns enrolled in the Guangxi innovation-town programme, 20,000 audit rows and,
once the ``applications`` app is installed, its review queue's data. Starts the site in a
child process on a free loopback port (DEBUG=false; gunicorn, the production server of
docs/deploy.md, with one synchronous worker per core, see ``server_command``), signs in a provincial officer
through the login form, and drives 20 concurrent clients on 127.0.0.1 for 30 s against
the town list (``/towns/``, random pages and filters) and the audit list (``/audit/``),
plus the review queue when ``applications:queue`` exists. Every loop is bounded in time
and count; the server is stopped at the end whatever happens. No address but 127.0.0.1.

Prints p50, p95, request count and errors per page and overall; the last line is
``ratio: N`` with N = 300 ms / overall p95 (target p95 < 300 ms and zero errors).

    .venv/bin/python benchmarks/bench_web.py [--clients 20] [--seconds 30] [--towns 5000] [--per-page 50] [--rebuild]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
DB_FILE = ROOT / "var" / "bench_web.sqlite3"
HOST = "127.0.0.1"
TARGET_MS = 300.0
USERNAME, PASSWORD = "bench-province", "bench-password-1"
MAX_REQUESTS = 200_000  # a hard bound on the whole run, whatever the duration


# --- child processes: environment, set-up and server -------------------------------------------
def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "web"), str(ROOT / "src")]),
        "DATABASE_URL": f"sqlite:///{DB_FILE}",
        "DEBUG": "false",
        "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "ERROR",
        "PROJ_NETWORK": "OFF",
    })
    return env


def setup(towns: int) -> None:
    """(child) Migrate, then build the rows in bulk unless they are there already; print the targets."""
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse

    from accounts.actions import create_user
    from accounts.models import Role, User
    from audit.models import AuditEntry
    from programmes.actions import sync_programmes
    from programmes.models import Programme
    from regions.models import Region
    from towns.models import Enrolment, Town

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(policy_id="guangxi-innovation-towns").exists():
        sync_programmes()
    programme = Programme.objects.get(policy_id="guangxi-innovation-towns")
    if not User.objects.filter(username=USERNAME).exists():
        create_user(username=USERNAME, password=PASSWORD, role=Role.PROVINCIAL_OFFICER,
                    region=Region.objects.get(code="450000"), full_name="基准测试 省级", check_password=False)
    bench_user = User.objects.get(username=USERNAME)
    if not bench_user.check_password(PASSWORD):  # hashed the demo's cheap way, which DEBUG=false refuses
        bench_user.set_password(PASSWORD)
        bench_user.save(update_fields=["password"])
    have = Town.objects.filter(code__startswith="bench-").count()
    if have < towns:
        counties = list(Region.objects.filter(code__startswith="45", level=Region.Level.COUNTY).order_by("code"))
        categories = [c for c in programme.policy.categories] or [None]
        tiers = ["cultivation", "cultivation_extended", "named"]
        rng = random.Random(3)
        new = Town.objects.bulk_create(
            (Town(code=f"bench-{i:05d}", name_zh=f"基准小镇{i:05d}", name_en=f"Bench town {i}",
                  region=counties[i % len(counties)],
                  category=categories[i % len(categories)].id if categories[0] else "",
                  sub_sector="") for i in range(have, towns)),
            batch_size=1000,
        )
        Enrolment.objects.bulk_create(
            (Enrolment(town=t, programme=programme, programme_version=programme.current_version,
                       initial_tier="cultivation", tier=rng.choice(tiers), started_on=dt.date(2020, 1, 1),
                       tier_since=dt.date(2020, 1, 1)) for t in new),
            batch_size=1000,
        )
        officer = User.objects.get(username=USERNAME)
        AuditEntry.objects.bulk_create(
            (AuditEntry(actor=officer, actor_username=USERNAME, role=officer.role, verb="create_town",
                        object_type="towns.town", object_id=str(t.pk), object_repr=t.name_zh, region=t.region,
                        data={"code": t.code}) for t in new for _ in range(4)),
            batch_size=2000,
        )
    targets = {"towns": "/towns/", "audit": "/audit/"}
    queue_note = "no applications app"
    with contextlib.suppress(NoReverseMatch):
        targets["review_queue"] = reverse("applications:queue")
        queue_note = seed_review_queue(programme, User.objects.get(username=USERNAME))
    print(json.dumps({"targets": targets, "queue": queue_note, "towns": Town.objects.count(),
                      "audit": AuditEntry.objects.count(),
                      "counties": list(Region.objects.filter(code__startswith="45", level="county")
                                       .values_list("pk", flat=True)[:20])}))


def seed_review_queue(programme, officer, count: int = 1000) -> str:
    """(child) ``count`` applications waiting at the provincial step of the Guangxi programme, in bulk.

    Written against the applications app's models as they stand; if they changed, the queue is
    still benchmarked (with what it holds) and the reason is printed."""
    import datetime as dt

    from django.apps import apps
    from django.db import transaction

    from regions.models import Region
    from towns.models import Town

    Application = apps.get_model("applications", "Application")
    Call = apps.get_model("applications", "Call")
    if Application.objects.filter(town__code__startswith="bench-").exists():
        return f"{Application.objects.count()} applications"
    steps = [s.id for s in programme.policy.review_steps("application") if s.role == "provincial_officer"]
    try:
        with transaction.atomic():
            call = Call.objects.create(programme=programme, region=Region.objects.get(code="450000"),
                                       title="基准测试申报通知", opens_on=dt.date(2025, 1, 1),
                                       closes_on=dt.date(2025, 3, 31), first_plan_year=2025, opened_by=officer)
            towns = Town.objects.filter(code__startswith="bench-").order_by("code")[:count]
            Application.objects.bulk_create(
                (Application(call=call, programme=programme, town=t, state="in_review", current_step=steps[0],
                             category=t.category, created_by=officer) for t in towns),
                batch_size=1000,
            )
    except Exception as exc:  # the other app's models moved on: say so, bench what is there
        return f"not seeded ({type(exc).__name__}: {exc})"
    return f"{Application.objects.count()} applications"


def server_command(port: int, workers: int) -> list[str]:
    """The production server (docs/deploy.md): gunicorn, ``workers`` synchronous worker processes
    (one per core: the pages are CPU-bound), no access log."""
    return [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers),
            "--worker-class", "sync", "--backlog", "256", "--log-level", "warning",
            "--chdir", str(ROOT / "web"), "config.wsgi:application"]


# --- the bench itself ----------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not start on {HOST}:{port} within {timeout:.0f} s")


def cookies_of(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(port: int) -> dict[str, str]:
    """Sign in through the real login form (CSRF token and all); return the cookies."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    html = response.read().decode()
    cookies_of(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        raise SystemExit("no CSRF token on the login page")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD})
    conn.request("POST", "/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar),
        "Referer": f"http://{HOST}:{port}/login/"})
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in failed: HTTP {response.status}")
    return jar


def paths_for(name: str, base: str, rng: random.Random, counties: list[int], per_page: int | None = None) -> str:
    """The page a client asks for: mostly the first pages, sometimes a deep page or a filter;
    at the page size given (``?per_page=``), else at the pages' default."""
    roll = rng.random()
    query: dict[str, object] = {}
    if name == "towns":
        if 0.5 <= roll < 0.8:
            query["page"] = rng.randint(2, 100)
        elif 0.8 <= roll < 0.9:
            query["q"] = f"基准小镇0{rng.randint(0, 4)}"
        elif roll >= 0.9 and counties:
            query["region"] = rng.choice(counties)
    elif name == "audit" and roll >= 0.7:
        query["page"] = rng.randint(2, 50)
    if per_page:
        query["per_page"] = per_page
    return f"{base}?{urlencode(query)}" if query else base


def client_loop(port: int, jar: dict[str, str], targets: dict[str, str], counties: list[int], deadline: float,
                seed: int, results: dict[str, list[float]], errors: dict[str, list[str]], budget: list[int],
                lock: threading.Lock, per_page: int | None) -> None:
    rng = random.Random(seed)
    names = list(targets)
    headers = {"Cookie": cookie_header(jar), "Connection": "keep-alive"}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    mine: dict[str, list[float]] = defaultdict(list)
    my_errors: dict[str, list[str]] = defaultdict(list)
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        name = rng.choice(names)
        path = paths_for(name, targets[name], rng, counties, per_page)
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200 or b"</html>" not in body:
                my_errors[name].append(f"HTTP {response.status} {path}")
            else:
                mine[name].append(elapsed)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
        except Exception as exc:
            my_errors[name].append(f"{type(exc).__name__}: {exc} {path}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.close()
    with lock:
        for name, values in mine.items():
            results[name].extend(values)
        for name, values in my_errors.items():
            errors[name].extend(values)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--towns", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--per-page", type=int, choices=(20, 50, 100),
                        help="rows a list page (default: the pages' own default, 20)")
    parser.add_argument("--rebuild", action="store_true", help="delete var/bench_web.sqlite3 first")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args.towns)
        return 0

    DB_FILE.parent.mkdir(exist_ok=True)
    if args.rebuild and DB_FILE.exists():
        DB_FILE.unlink()
    env = child_env()
    me = [sys.executable, str(Path(__file__).resolve())]
    started = time.perf_counter()
    built = subprocess.run([*me, "--setup", "--towns", str(args.towns)], env=env, capture_output=True, text=True,
                           cwd=ROOT, check=False)
    if built.returncode != 0:
        print(built.stderr[-3000:], file=sys.stderr)
        return 1
    info = json.loads(built.stdout.strip().splitlines()[-1])
    targets, counties = info["targets"], info["counties"]
    print(f"database {DB_FILE.relative_to(ROOT)}: {info['towns']} towns, {info['audit']} audit rows "
          f"(ready in {time.perf_counter() - started:.1f} s)")
    print(f"pages: {', '.join(f'{k} {v}' for k, v in targets.items())}; review queue: {info['queue']}")

    port = free_port()
    server = subprocess.Popen(server_command(port, args.workers), env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(port)
        jar = sign_in(port)
        # Warm every worker (imports, template loading) before the clock starts.
        for path in targets.values():
            for _ in range(2 * args.workers):
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie_header(jar)})
                conn.getresponse().read()
                conn.close()
        results: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, list[str]] = defaultdict(list)
        lock = threading.Lock()
        budget = [MAX_REQUESTS]
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client_loop, daemon=True,
                                    args=(port, jar, targets, counties, deadline, n, results, errors, budget, lock,
                                          args.per_page))
                   for n in range(args.clients)]
        began, cpu_before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 60)
        wall = time.perf_counter() - began
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    print(f"{args.clients} clients × {args.seconds:.0f} s on {HOST}:{port}, server: gunicorn, "
          f"{args.workers} sync worker process(es); rows a page: {args.per_page or 'the default (20)'}")
    print(f"{'page':<14}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}")
    everything: list[float] = []
    total_errors = 0
    for name in targets:
        values = results.get(name, [])
        everything.extend(values)
        total_errors += len(errors.get(name, []))
        print(f"{name:<14}{len(values):>10}{len(errors.get(name, [])):>8}"
              f"{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}")
    p50, p95 = percentile(everything, 50), percentile(everything, 95)
    count = len(everything) + total_errors
    print(f"{'all':<14}{count:>10}{total_errors:>8}{p50:>10.1f}{p95:>10.1f}")
    print(f"the clients themselves used {client_cpu:.1f} s of CPU in {wall:.1f} s (on the same cores as the server)")
    print(f"throughput {count / wall:.0f} requests/s; target p95 < {TARGET_MS:.0f} ms and no errors: "
          f"{'met' if p95 < TARGET_MS and not total_errors else 'MISSED'}")
    for name, values in errors.items():
        for line in values[:3]:
            print(f"  error on {name}: {line}")
    if not everything:
        print("ratio: 0")
        return 1
    print(f"ratio: {TARGET_MS / p95:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
