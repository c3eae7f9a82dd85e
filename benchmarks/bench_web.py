"""Benchmark: the web pages officers live in, under 20 concurrent clients (issue 3 §13).

Builds (or reuses) a SQLite database of its own, ``var/bench_web.sqlite3``, with 5,000
Guangxi towns enrolled in the Guangxi innovation-town programme, 20,000 audit rows and,
once the ``applications`` app is installed, its review queue's data. Starts the site in a
child process on a free loopback port (DEBUG=false; gunicorn, the production server of
docs/deploy.md, with one synchronous worker per core, see ``_server.server_command``), signs in a provincial officer
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
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server as srv

ROOT = Path(__file__).resolve().parents[1]
DB_FILE = ROOT / "var" / "bench_web.sqlite3"
TARGET_MS = 300.0
USERNAME, PASSWORD = "bench-province", "bench-password-1"
MAX_REQUESTS = 200_000  # a hard bound on the whole run, whatever the duration


def child_env() -> dict[str, str]:
    return srv.child_env(f"sqlite:///{DB_FILE}")


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


# --- the bench itself ----------------------------------------------------------------------
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
    started = time.perf_counter()
    line = srv.run_setup(Path(__file__).resolve(), ["--towns", str(args.towns)], env)
    if line is None:
        return 1
    info = json.loads(line)
    targets, counties = info["targets"], info["counties"]
    print(f"database {DB_FILE.relative_to(ROOT)}: {info['towns']} towns, {info['audit']} audit rows "
          f"(ready in {time.perf_counter() - started:.1f} s)")
    print(f"pages: {', '.join(f'{k} {v}' for k, v in targets.items())}; review queue: {info['queue']}")

    port = srv.free_port()
    with srv.running_server(port, args.workers, env, start_timeout=30.0):
        jar = srv.sign_in(port, USERNAME, PASSWORD, timeout=30.0)
        headers = {"Cookie": srv.cookie_header(jar)}
        # Warm every worker (imports, template loading) before the clock starts.
        for path in targets.values():
            for _ in range(2 * args.workers):
                srv.fetch(port, path, headers, timeout=30.0)
        names = list(targets)

        def pick(rng: random.Random, _client: int) -> srv.Request:
            name = rng.choice(names)
            return srv.Request(name, "GET", paths_for(name, targets[name], rng, counties, args.per_page), headers)

        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        results = srv.drive(port, clients=args.clients, seconds=args.seconds, max_requests=MAX_REQUESTS, pick=pick,
                            ok=lambda _r, status, body: status == 200 and b"</html>" in body)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print(f"{args.clients} clients × {args.seconds:.0f} s on {srv.HOST}:{port}, server: gunicorn, "
          f"{args.workers} sync worker process(es); rows a page: {args.per_page or 'the default (20)'}")
    everything, total_errors = srv.print_table(results, list(targets), label="page", width=14)
    print(f"the clients themselves used {client_cpu:.1f} s of CPU in {results.wall:.1f} s (on the same cores as the server)")
    return srv.print_verdict(results, everything, total_errors, TARGET_MS)


if __name__ == "__main__":
    sys.exit(main())
