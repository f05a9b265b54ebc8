"""`python -m quotedesk` is the `quotedesk` command; `run` is also the installed script."""

import gc
import os
import sys

from quotedesk.cli import main


def run() -> None:
    """`quotedesk.cli.main`, and for a command that runs once and ends (all but the
    window), the process's last steps skipped: the cyclic garbage collector, which
    rescans every module's objects while a command allocates, and the interpreter's
    teardown (a last full collection, then every object freed one by one). Each cost
    `quotedesk export` a tenth of its time and `quotedesk price` a twentieth. Such a
    command has written and closed its files by then; only stdout and stderr are
    flushed here."""
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
