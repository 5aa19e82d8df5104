"""Driving a server with wrk (Debian's `wrk`) and reading what it measured."""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("bench.lua")
FIELDS = {
    "requests": int,
    "seconds": float,
    "rps": float,
    "p50": float,
    "p95": float,
    "p99": float,
    "max": float,
    "connect": int,
    "read": int,
    "write": int,
    "status": int,
    "timeout": int,
}


class WrkError(Exception):
    """wrk is missing, failed, or printed no result."""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles in ms, and errors by kind."""

    requests: int
    seconds: float
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    connect: int
    read: int
    write: int
    status: int
    timeout: int

    @property
    def socket_errors(self) -> int:
        return self.connect + self.read + self.write + self.timeout

    @property
    def errors(self) -> int:
        """Failed requests: socket errors, timeouts and answers outside 2xx/3xx."""
        return self.socket_errors + self.status

    def describe_errors(self) -> str:
        if not self.errors:
            return "none"
        kinds = ("status", "connect", "read", "write", "timeout")
        labels = {"status": "non-2xx/3xx"}
        return ", ".join(
            f"{getattr(self, kind)} {labels.get(kind, kind)}"
            for kind in kinds
            if getattr(self, kind)
        )


def parse_result(output: str) -> WrkResult:
    """The RESULT line that bench.lua prints, as a WrkResult; WrkError when there is none."""
    for line in reversed(output.splitlines()):
        if line.startswith("RESULT "):
            values = dict(pair.split("=", 1) for pair in line.split()[1:] if "=" in pair)
            missing = [name for name in FIELDS if name not in values]
            if missing:
                raise WrkError(f"wrk's result line lacks {', '.join(missing)}: {line!r}")
            try:
                return WrkResult(**{name: kind(values[name]) for name, kind in FIELDS.items()})
            except ValueError as error:
                raise WrkError(f"wrk's result line is malformed ({error}): {line!r}") from None
    tail = " ".join(output.strip().splitlines()[-3:]) or "nothing"
    raise WrkError(f"wrk printed no result line; it said: {tail}")


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkError("wrk is not installed: apt-get install wrk (`make bench` does it as root)")
    return path


def run(
    base_url: str,
    paths: list[str],
    *,
    unique: bool,
    seconds: int,
    connections: int,
    nonce: str,
    threads: int = 2,
    timeout_seconds: int = 5,
) -> WrkResult:
    """Load `base_url` for `seconds` with `connections`, cycling through `paths`.

    `unique` adds a different ignored parameter to every request (no cache key repeats).
    """
    command = [
        wrk_binary(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout_seconds}s",
        "-s",
        str(SCRIPT),
        base_url,
        "--",
        "unique" if unique else "same",
        nonce,
        *paths,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + timeout_seconds + 60
    )
    if done.returncode != 0:
        raise WrkError(f"wrk exited with {done.returncode}: {done.stderr.strip() or done.stdout}")
    return parse_result(done.stdout)
