"""The demo's extension point: steps, run in order by ``manage.py load_demo``.

The base steps (order 10–90, in demo/steps.py) sync the programmes, create organisations,
one user per role, towns across several provinces in every tier of every programme file,
their indicator values, enterprises and expert assignments. Each app's demo data lives on
the demo's side, in ``demo/by_app/<app>.py`` (every module there is loaded), so no domain
app imports the demo (the layering test, tests/test_layering.py, holds it to that):

    from demo.registry import demo_step

    @demo_step(order=110, name="applications in every review state")
    def applications(ctx):
        for town in ctx.towns_in_tier("tongzhou-towns", "planning"):
            ...  # call your actions with ctx.user("county") as ``by``

Every step must be idempotent: ``load_demo`` runs again on a loaded database and must
neither fail nor duplicate anything. Use ``ctx.rng(key)`` for randomness that does not
depend on what other steps drew, and ``ctx.add_login`` to list a new account at the end.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

DemoStep = Callable[["DemoContext"], None]


@dataclass(frozen=True)
class StepInfo:
    order: int
    name: str
    func: DemoStep


_STEPS: dict[str, StepInfo] = {}


def demo_step(*, order: int, name: str) -> Callable[[DemoStep], DemoStep]:
    def decorate(func: DemoStep) -> DemoStep:
        _STEPS[f"{func.__module__}.{func.__qualname__}"] = StepInfo(order, name, func)
        return func

    return decorate


def steps() -> list[StepInfo]:
    from . import by_app
    from . import steps as _base  # noqa: F401  (registers the base steps)

    for module in pkgutil.iter_modules(by_app.__path__):
        importlib.import_module(f"{by_app.__name__}.{module.name}")
    autodiscover_modules("demo")  # an <app>/demo.py not yet moved here still loads (the layering test flags it)
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


@dataclass
class DemoContext:
    """What the steps share: users by key, programmes and towns, logins to print."""

    write: Callable[[str], Any]
    seed: str = "xiaozhen-demo"
    users: dict[str, Any] = field(default_factory=dict)
    programmes: dict[str, Any] = field(default_factory=dict)
    towns: dict[str, list[Any]] = field(default_factory=dict)  # programme id → its demo towns
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")

    def user(self, key: str):
        """A demo user by its key: province, city, county, town, expert, auditor …"""
        return self.users[key]

    def add_login(self, username: str, password: str, description: str) -> None:
        if all(login[0] != username for login in self.logins):
            self.logins.append((username, password, description))

    def towns_in_tier(self, programme_id: str, tier: str) -> list[Any]:
        """The programme's demo towns whose open (or last) enrolment is in ``tier``."""
        out = []
        for town in self.towns.get(programme_id, []):
            enrolment = town.enrolments.filter(programme__policy_id=programme_id).order_by("-started_on").first()
            if enrolment and enrolment.tier == tier:
                out.append(town)
        return out

    def say(self, text: str) -> None:
        self.write(text)
