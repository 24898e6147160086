"""Ctrl+C, SIGTERM and SIGHUP stop a command cleanly, and are never lost.

The handler sets the command's ``StopToken`` (which the services check between articles)
and raises, so the command unwinds at once; a raise that lands where Python swallows it (a
finalizer, a callback) still stops the work at the next article.
"""

from __future__ import annotations

import argparse
import signal
from collections.abc import Callable

from desktop.services.progress import CancelToken

EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports it
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)  # `kill`, a service manager, a closed terminal


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: the same clean stop as Ctrl+C; the exit status is 128 + signal."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum


class StopToken(CancelToken):
    """Set by a stop signal: the services check it between articles, so a stop is never
    lost, even when the exception the handler raises lands where Python swallows it (a
    finalizer, a callback)."""

    signum: int = signal.SIGINT


def stop_token(args: argparse.Namespace) -> CancelToken | None:
    token: CancelToken | None = getattr(args, "stop", None)
    return token


def run_with_stop_signals(
    run: Callable[[argparse.Namespace], int], args: argparse.Namespace
) -> int:
    """Run the command with Ctrl+C, SIGTERM and SIGHUP stopping it cleanly (no half-written
    article, no `.part` file left): the handler sets ``args.stop`` and raises, and the
    services also check the token; the old handlers are put back."""
    token = args.stop = StopToken()

    def on_signal(signum: int, frame: object) -> None:
        token.signum = signum
        token.cancel()
        raise Terminated(signum) if signum != signal.SIGINT else KeyboardInterrupt

    try:
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, *STOP_SIGNALS)}
    except ValueError:  # not the main thread: leave signals alone
        return run(args)
    try:
        code = run(args)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if token.cancelled:  # the raise was swallowed and the work ended anyway
        raise Terminated(token.signum) if token.signum != signal.SIGINT else KeyboardInterrupt
    return code
