"""A small supervisor for `manage.py serve` (what `make run` starts): the web server and the
background worker side by side.

- The worker is restarted when it dies, with a back-off, and each death is announced on
  stderr. After `max_quick_deaths` deaths in a row, each within `quick_seconds` of its start,
  it gives up: the web server is stopped too and the exit code is 1, because a practice whose
  reminders silently stopped is worse than one that visibly does not start.
- When the web server dies, the worker is stopped and the exit code is non-zero.
- SIGINT and SIGTERM are passed on to both; a clean stop exits 0.

No Django here (plain commands in, an exit code out) so the tests drive it with tiny scripts.
The children stay in our process group, so Ctrl-C in a terminal, `kill -- -PGID` and systemd's
control group reach all of them even if this process is killed outright.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import TextIO

POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    command: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(list(self.command))  # noqa: S603 - our own commands
        self.started = time.monotonic()

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)

    def wait(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Supervisor:
    web: Sequence[str]
    worker: Sequence[str] | None
    max_quick_deaths: int = 5
    quick_seconds: float = 30.0
    backoff_max: float = 30.0
    stop_timeout: float = 25.0
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _stop_signal: int | None = None

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        web = Child("web server", self.web)
        web.start()
        worker = Child("worker", self.worker) if self.worker else None
        if worker:
            worker.start()
        try:
            return self._watch(web, worker)
        finally:
            self._stop(web, worker)

    def _on_signal(self, sig: int, _frame: FrameType | None) -> None:
        self._stop_signal = sig

    def _watch(self, web: Child, worker: Child | None) -> int:
        quick_deaths = 0
        restart_at: float | None = None
        while self._stop_signal is None:
            code = web.exit_code()
            if code is not None:
                self._say(f"the web server stopped ({_how(code)}); stopping TrainerHub.")
                return code or 1
            if worker and restart_at is None and (code := worker.exit_code()) is not None:
                quick = time.monotonic() - worker.started < self.quick_seconds
                quick_deaths = quick_deaths + 1 if quick else 1
                if quick_deaths >= self.max_quick_deaths:
                    self._say(
                        f"the worker died {quick_deaths} times in a row within "
                        f"{self.quick_seconds:g} s of starting (last: {_how(code)}); giving "
                        "up and stopping TrainerHub. Reminders and emails are NOT being sent: "
                        "fix the error above and start it again."
                    )
                    return 1
                delay = min(self.backoff_max, 2.0 ** (quick_deaths - 1))
                self._say(
                    f"the worker died ({_how(code)}); reminders and emails are paused. "
                    f"Restarting it in {delay:g} s (death {quick_deaths} of "
                    f"{self.max_quick_deaths} allowed in a row)."
                )
                restart_at = time.monotonic() + delay
            if worker and restart_at is not None and time.monotonic() >= restart_at:
                restart_at = None
                worker.start()
                self._say("the worker was restarted.")
            time.sleep(POLL_SECONDS)
        return 0

    def _stop(self, web: Child, worker: Child | None) -> None:
        # The signal we were sent goes on to each child (SIGTERM: gunicorn's graceful stop).
        sig = self._stop_signal or signal.SIGTERM
        children = [c for c in (web, worker) if c]
        for child in children:
            child.signal(sig)
        for child in children:
            child.wait(self.stop_timeout)

    def _say(self, message: str) -> None:
        print(f"!!! TrainerHub: {message}", file=self.err, flush=True)


def _how(code: int) -> str:
    """How a child ended: Popen reports death by a signal as minus its number."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
