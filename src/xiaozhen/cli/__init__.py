"""The ``xiaozhen`` command line: programmes, evaluation, annual assessment, targets.

See docs/cli.md. ``main(argv)`` returns the exit code (0 done, 2 bad input, 1 internal error).
"""

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
