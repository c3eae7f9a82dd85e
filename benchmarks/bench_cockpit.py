"""Benchmark: the cockpit (issue 13) for a province of 5,000 towns with boundaries, under 20 clients.

Builds (or reuses) its own SQLite database, ``var/bench_cockpit.sqlite3``: 5,000 Guangxi towns enrolled
in the Guangxi innovation-town programme, each with a 64-vertex planned boundary, and a synthetic base
layer (county boxes, labelled as bench data) so the map draws real coordinates and simplified shapes.
Starts gunicorn on a free loopback port (benchmarks/_server.py, as bench_web.py: one sync worker per core,
DEBUG=false), signs in a provincial officer, and drives 20 concurrent clients for 30 s against the cockpit
pages (province, a city, a county) and its data endpoints (the map at each zoom, the targets). Every loop
is bounded in time and count; the server is stopped at the end whatever happens; 127.0.0.1 only.

Prints the size on the wire of the map at each zoom (towns are points at province level, simplified
shapes below; the full-detail size beside it), then p50/p95 per target; the last line is
``ratio: N`` with N = 200 ms / overall p95 (target ≥ 1 and zero errors).

    .venv/bin/python benchmarks/bench_cockpit.py [--clients 20] [--seconds 30] [--towns 5000] [--rebuild]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server as srv
import bench_web as bw

ROOT = Path(__file__).resolve().parents[1]
DB_FILE = ROOT / "var" / "bench_cockpit.sqlite3"
TARGET_MS = 200.0
MAX_REQUESTS = 100_000
VERTICES = 64


def setup(towns: int) -> None:
    """(child) Migrate, build the rows in bulk unless there; print the targets as JSON."""
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from shapely.geometry import Polygon, box, mapping

    from accounts.actions import create_user
    from accounts.models import Role, User
    from boundaries.models import BoundaryVersion
    from cockpit.models import BaseLayer
    from programmes.actions import sync_programmes
    from programmes.models import Programme
    from regions.models import Region
    from towns.models import Enrolment, Town
    from xiaozhen.spatial import gk_area_m2

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(policy_id="guangxi-innovation-towns").exists():
        sync_programmes()
    programme = Programme.objects.get(policy_id="guangxi-innovation-towns")
    if not User.objects.filter(username=bw.USERNAME).exists():
        create_user(username=bw.USERNAME, password=bw.PASSWORD, role=Role.PROVINCIAL_OFFICER,
                    region=Region.objects.get(code="450000"), full_name="基准测试 省级", check_password=False)
    officer = User.objects.get(username=bw.USERNAME)
    counties = list(Region.objects.filter(code__startswith="45", level=Region.Level.COUNTY).order_by("code"))
    # County boxes on a grid over Guangxi (bench data: not real outlines).
    cols = math.ceil(math.sqrt(len(counties)))
    boxes = {c.code: box(104.6 + (i % cols) * 7.0 / cols, 21.2 + (i // cols) * 4.8 / cols,
                         104.6 + (i % cols + 0.96) * 7.0 / cols, 21.2 + (i // cols + 0.96) * 4.8 / cols)
             for i, c in enumerate(counties)}
    if not BaseLayer.objects.exists():
        collection = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": c.name_zh, "code": c.code}, "geometry": mapping(boxes[c.code])}
            for c in counties]}
        BaseLayer.objects.create(region=Region.objects.get(code="450000"), number=1, name="基准测试底图(非真实轮廓)",
                                 approval_number="BENCH", geojson=json.dumps(collection, ensure_ascii=False),
                                 uploaded_by=officer)
    have = Town.objects.filter(code__startswith="bench-").count()
    if have < towns:
        rng = random.Random(13)
        tiers = ["cultivation", "cultivation_extended", "named"]
        new = Town.objects.bulk_create(
            (Town(code=f"bench-{i:05d}", name_zh=f"基准小镇{i:05d}", name_en=f"Bench town {i}",
                  region=counties[i % len(counties)]) for i in range(have, towns)), batch_size=1000)
        Enrolment.objects.bulk_create(
            (Enrolment(town=t, programme=programme, programme_version=programme.current_version,
                       initial_tier="cultivation", tier=rng.choice(tiers), started_on=dt.date(2020, 1, 1),
                       tier_since=dt.date(2020, 1, 1)) for t in new), batch_size=1000)
        versions = []
        for t in new:
            minx, miny, maxx, maxy = boxes[t.region.code].bounds
            lon, lat = rng.uniform(minx + 0.02, maxx - 0.02), rng.uniform(miny + 0.02, maxy - 0.02)
            r = rng.uniform(0.006, 0.011)
            ring = [(lon + r * (1 + 0.15 * math.sin(5 * a)) * math.cos(a), lat + 0.8 * r * (1 + 0.1 * math.cos(3 * a)) * math.sin(a))
                    for a in (2 * math.pi * k / VERTICES for k in range(VERTICES))]
            geom = Polygon(ring)
            area, zone = gk_area_m2(geom)
            versions.append(BoundaryVersion(
                town=t, layer="planned", number=1, geojson=json.dumps(mapping(geom), separators=(",", ":")),
                area_m2=area, zone_epsg=zone.epsg, centroid_lon=lon, centroid_lat=lat, source_name="bench.geojson",
                source_format="geojson", coordinates="auto", uploaded_by=officer))
        BoundaryVersion.objects.bulk_create(versions, batch_size=500)
        Town.objects.filter(pk__in=[t.pk for t in new]).update(boundary_geojson="{}")
    city = "450100"
    county = Town.objects.filter(code__startswith="bench-", region__code__startswith="4501").values_list(
        "region__code", flat=True).first()
    targets = {
        "page_province": "/cockpit/", "page_city": f"/cockpit/?region={city}", "page_county": f"/cockpit/?region={county}",
        "map_province": "/cockpit/data/map.json", "map_city": f"/cockpit/data/map.json?region={city}",
        "map_county": f"/cockpit/data/map.json?region={county}", "targets": "/cockpit/data/targets.json",
    }
    print(json.dumps({"targets": targets, "towns": Town.objects.count(),
                      "boundaries": BoundaryVersion.objects.count(), "county": county}))


def fetch(port: int, jar: dict[str, str], path: str) -> bytes:
    return srv.fetch(port, path, {"Cookie": srv.cookie_header(jar)})[1]


def full_size(county: str) -> tuple[int, int]:
    """(child-free) bytes of every town boundary at full detail: the province's and the county's."""
    import sqlite3

    con = sqlite3.connect(DB_FILE)
    total = con.execute("SELECT SUM(LENGTH(geojson)) FROM boundaries_boundaryversion").fetchone()[0] or 0
    in_county = con.execute(
        "SELECT SUM(LENGTH(b.geojson)) FROM boundaries_boundaryversion b JOIN towns_town t ON t.id = b.town_id "
        "JOIN regions_region r ON r.id = t.region_id WHERE r.code = ?", (county,)).fetchone()[0] or 0
    con.close()
    return int(total), int(in_county)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--towns", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rebuild", action="store_true", help="delete var/bench_cockpit.sqlite3 first")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args.towns)
        return 0
    DB_FILE.parent.mkdir(exist_ok=True)
    if args.rebuild and DB_FILE.exists():
        DB_FILE.unlink()
    env = srv.child_env(f"sqlite:///{DB_FILE}")
    started = time.perf_counter()
    line = srv.run_setup(Path(__file__).resolve(), ["--towns", str(args.towns)], env)
    if line is None:
        return 1
    info = json.loads(line)
    targets = info["targets"]
    print(f"database {DB_FILE.relative_to(ROOT)}: {info['towns']} towns, {info['boundaries']} boundaries of "
          f"{VERTICES} vertices (ready in {time.perf_counter() - started:.1f} s)")
    port = srv.free_port()
    with srv.running_server(port, args.workers, env):
        jar = srv.sign_in(port, bw.USERNAME, bw.PASSWORD)
        province_full, county_full = full_size(info["county"])
        print("map on the wire (JSON; gzip as a browser would get it with compression in front):")
        for name in ("map_province", "map_city", "map_county"):
            body = fetch(port, jar, targets[name])
            option = json.loads(body)
            shapes = sum(1 for f in next(iter(option["xzMaps"].values()))["features"] if f["properties"].get("name", "").find("bench-") >= 0)
            print(f"  {name:<13}{len(body):>10,} bytes  gzip {len(gzip.compress(body)):>8,}  "
                  f"towns {option['xzStats']['towns']:>5}  drawn as {'shapes' if shapes else 'points'}"
                  f"{f' ({shapes} simplified)' if shapes else ''}")
        print(f"  full detail would be {province_full:,} bytes for the province, {county_full:,} for the county")
        for path in targets.values():  # warm every worker (imports, templates, the cockpit's cache)
            for _ in range(2 * args.workers):
                fetch(port, jar, path)
        headers = {"Cookie": srv.cookie_header(jar), "Accept-Encoding": "identity"}
        names = list(targets)

        def pick(rng: random.Random, _client: int) -> srv.Request:
            name = rng.choice(names)
            return srv.Request(name, "GET", targets[name], headers)

        def ok(request: srv.Request, status: int, body: bytes) -> bool:
            page = request.name.startswith("page")
            return status == 200 and (body.rstrip().endswith(b"</html>") if page else body.startswith(b"{"))

        results = srv.drive(port, clients=args.clients, seconds=args.seconds, max_requests=MAX_REQUESTS, pick=pick,
                            ok=ok)
    print(f"{args.clients} clients × {args.seconds:.0f} s on {srv.HOST}:{port}, gunicorn, {args.workers} sync worker(s)")
    everything, total_errors = srv.print_table(results, list(targets), label="target", width=15)
    return srv.print_verdict(results, everything, total_errors, TARGET_MS)


if __name__ == "__main__":
    sys.exit(main())
