"""The `xiaozhen` command: parse, run one command, turn every error into one clear message.

Exit codes: 0 done, 2 bad input (a facts file, a programme file, an argument),
1 an internal error (a bug: please report it). Nobody sees a traceback unless
XIAOZHEN_DEBUG=1 is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from .. import __version__
from ..facts import FactsError
from ..policy import PolicyFileError
from . import _index, _per_mu, _policies, _runs, _signals, _spatial
from ._common import CliError, PolicyProblems

#: At most this many facts problems are printed; the count of the rest follows.
MAX_PROBLEMS_SHOWN = 50


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 参数错误 / usage error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="xiaozhen",
        description="小镇 xiaozhen: 特色小镇、创新小镇、专业镇、高新区计划的规则引擎 / "
        "rules for China's town and zone programmes, from the command line",
        epilog="文档 docs: docs/cli.md, docs/facts-format.md",
    )
    parser.add_argument("--version", action="version", version=f"xiaozhen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="policies|evaluate|assess|targets|per-mu|spatial|index|signals", required=True,
                                parser_class=_Parser)
    _policies.add_parser(sub)
    _runs.add_parsers(sub)
    _per_mu.add_parser(sub)
    _spatial.add_parser(sub)
    _index.add_parser(sub)
    _signals.add_parser(sub)
    return parser


def _print_problems(header: str, lines: list[str]) -> None:
    print(header, file=sys.stderr)
    for line in lines[:MAX_PROBLEMS_SHOWN]:
        print(f"  {line}", file=sys.stderr)
    if len(lines) > MAX_PROBLEMS_SHOWN:
        rest = len(lines) - MAX_PROBLEMS_SHOWN
        print(f"  …另有 {rest} 个问题 / … and {rest} more problem(s)", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``xiaozhen`` with ``argv`` (default: the command line); return the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
        return code
    except FactsError as exc:
        n = len(exc.problems)
        _print_problems(f"错误 error: 事实文件有 {n} 个问题，未做任何计算 / the facts file has {n} problem(s); nothing was computed:",
                        [str(p) for p in exc.problems])
        return 2
    except PolicyProblems as exc:
        if exc.problems:
            _print_problems(f"错误 error: {exc.note or '计划文件有问题 / programme file problems'}:",
                            [str(p) for p in exc.problems])
        else:
            print(f"错误 error: {exc.note}", file=sys.stderr)
        return 2
    except PolicyFileError as exc:
        _print_problems("错误 error: 计划文件有问题 / programme file problems:", [str(p) for p in exc.problems])
        return 2
    except CliError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) left early: not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("XIAOZHEN_DEBUG"):
            traceback.print_exc()
        print(
            f"内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "这是 xiaozhen 的缺陷，请报告并附上命令 / this is a bug in xiaozhen: please report it with the command "
            "(XIAOZHEN_DEBUG=1 shows the details)",
            file=sys.stderr,
        )
        return 1
