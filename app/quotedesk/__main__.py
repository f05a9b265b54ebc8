"""`python -m quotedesk` is the `quotedesk` command; `run` is also the installed script."""

import gc
import os
import sys

from quotedesk.cli import main


def run() -> None:
    """`quotedesk.cli.main`. A command that runs once and ends (all but the window) runs
    without the cyclic garbage collector, which rescans every module's objects as the
    command allocates, and ends without the interpreter's teardown (a last full
    collection, then every object freed one by one): together a sixth of the time of
    `quotedesk export` and of `quotedesk price`. Such a command has written and closed
    its files by then; only stdout and stderr are left to flush."""
    first = sys.argv[1] if len(sys.argv) > 1 else "gui"  # options alone start the window
    one_shot = first != "gui" and not first.startswith("-")
    if one_shot:
        gc.disable()
    code = main()
    if one_shot:
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except OSError:  # a full disk or closed pipe: the interpreter's exit reports it
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
