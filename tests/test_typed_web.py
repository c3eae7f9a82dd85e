"""A typed web (issue 11): every action, selector and permission function states its types.

Each function in ``web/<app>/actions.py``, ``selectors.py`` and ``permissions.py`` (nested ones
too) annotates every argument and its return, and the acting user, ``by``, is a
``accounts.models.User`` (``User | None`` where the system may act), never ``Any``. mypy
(``make test``) then checks every caller against them. The check reads the source, so it needs
no Django.
"""

from __future__ import annotations

import ast
import pathlib
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
CHECKED = ("actions.py", "selectors.py", "permissions.py")


def untyped(source: str, name: str = "<snippet>") -> list[str]:
    """Every function of ``source`` missing an annotation, or typing ``by`` as other than a User."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = [a for a in node.args.args + node.args.kwonlyargs if a.arg not in ("self", "cls")]
        missing = [a.arg for a in args if a.annotation is None]
        missing += [f"*{v.arg}" for v in (node.args.vararg,) if v is not None and v.annotation is None]
        missing += [f"**{k.arg}" for k in (node.args.kwarg,) if k is not None and k.annotation is None]
        if node.returns is None:
            missing.append("return")
        if missing:
            found.append(f"{name}:{node.lineno} {node.name}: no annotation for {', '.join(missing)}")
        for a in args:
            if a.arg == "by" and a.annotation is not None and "User" not in ast.unparse(a.annotation):
                found.append(f"{name}:{node.lineno} {node.name}: by is {ast.unparse(a.annotation)}, not a User")
    return found


def test_every_action_selector_and_permission_function_is_fully_typed_with_by_as_a_user():
    files = sorted(p for p in WEB.glob("*/*.py") if p.name in CHECKED)
    assert len(files) > 20  # the apps' modules were found
    offenders = [line for p in files for line in untyped(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))]
    assert not offenders, "untyped web functions:\n" + "\n".join(offenders)


def test_the_check_names_a_function_without_annotations_and_a_by_typed_as_any():
    snippet = textwrap.dedent('''
        from typing import Any

        def approve(*, town, by: Any) -> None: ...

        def label(town: str):
            def inner(*args, **kwargs) -> str: ...
            return inner

        def decide(*, run: int, by: User | None = None) -> int:
            return run
    ''')
    assert untyped(snippet) == [
        "<snippet>:4 approve: no annotation for town",
        "<snippet>:4 approve: by is Any, not a User",
        "<snippet>:6 label: no annotation for return",
        "<snippet>:7 inner: no annotation for *args, **kwargs",
    ]
