"""Gunicorn as `make serve` runs it, started and stopped by the bench, and its workers' memory."""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil
from django.conf import settings

GUNICORN_CONF = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"
# `make serve`'s site, and the hello-world page under the same settings (hello.py).
SITE_APP = "cyberdiplo.wsgi:application"
HELLO_APP = "content.bench.hello:application"


class ServerError(Exception):
    """A server did not start or answer."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def vm_hwm_kb(pid: int) -> int | None:
    """The peak resident set size of a process (VmHWM, kB), or None when it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return parse_vm_hwm(status)


def parse_vm_hwm(status: str) -> int | None:
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


# deploy/gunicorn.conf.py's access log line: address "request line" status bytes duration.
ACCESS_LINE = re.compile(r'"[A-Z]+ (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')
BENCH_PARAMETER = re.compile(r"[?&]_=[^&]*$")


def failed_in_access_log(text: str) -> Counter[tuple[int, str]]:
    failed: Counter[tuple[int, str]] = Counter()
    for match in ACCESS_LINE.finditer(text):
        status = int(match["status"])
        if status >= 400:
            failed[status, BENCH_PARAMETER.sub("", match["path"])] += 1
    return failed


def describe_failed(failed: Counter[tuple[int, str]], most: int = 4) -> str:
    """'500 x 12 /agreements/?format=csv; 503 x 1 /' for the commonest failures."""
    return "; ".join(
        f"{status} x {count} {path}" for (status, path), count in failed.most_common(most)
    )


@dataclass(frozen=True)
class Download:
    status: int
    first_byte_s: float
    total_s: float
    size: int  # bytes of the body as sent (chunk framing included)
    whole: bool


def arrived_whole(head: bytes, tail: bytes, size: int) -> bool:
    """Whether an HTTP/1.1 answer's body is complete: its Content-Length reached, or the
    last chunk of a chunked one received; otherwise the server closing the connection
    is its end."""
    headers = {
        name.strip().lower(): value.strip().lower()
        for name, _, value in (line.partition(b":") for line in head.split(b"\r\n")[1:])
    }
    if b"content-length" in headers:
        return size == int(headers[b"content-length"])
    if headers.get(b"transfer-encoding") == b"chunked":
        return tail.endswith(b"0\r\n\r\n")
    return True


class Gunicorn:
    """One gunicorn master with deploy/gunicorn.conf.py on a free loopback port.

    The environment is this process's own (production settings, as `make bench` sets
    them); WEB_CONCURRENCY defaults to 2 workers, as the issue's measurements used.
    The peak RSS of every worker is sampled while it runs, because gunicorn recycles
    workers (max_requests) and a recycled worker's peak would otherwise be lost.
    """

    def __init__(self, app: str, *, workers: int):
        self.app = app
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.peak_kb: dict[int, int] = {}
        self.process: subprocess.Popen | None = None
        # Closed (and so removed) by __exit__, when the server has stopped.
        self._log = tempfile.NamedTemporaryFile(prefix="cyberdiplo-bench-", suffix=".log")  # noqa: SIM115
        self._stop_sampling = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "Gunicorn":
        env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY") or str(self.workers),
        }
        env.pop("GUNICORN_BIND", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", str(GUNICORN_CONF), self.app],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self._sampler.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop_sampling.set()
        if self._sampler.is_alive():
            self._sampler.join()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        text = Path(self._log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def log_size(self) -> int:
        self._log.flush()
        return Path(self._log.name).stat().st_size

    def failed_requests(self, since: int = 0) -> Counter[tuple[int, str]]:
        """(status, path) of the answers outside 2xx/3xx in the access log after byte
        `since`, the bench's `_` parameter left out of the path."""
        self._log.flush()
        with open(self._log.name, "rb") as log:
            log.seek(since)
            return failed_in_access_log(log.read().decode(errors="replace"))

    def _wait_until_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn ({self.app}) exited:\n{self.log_tail()}")
            try:
                self.get("/", timeout=10)
            except OSError:
                time.sleep(0.2)
                continue
            if len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.2)
        raise ServerError(f"gunicorn ({self.app}) did not answer in {seconds:.0f} s")

    def get(self, path: str, timeout: float = 120) -> tuple[int, bytes]:
        """Status and body of one GET, without following redirects."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def warm(self, path: str, requests: int = 16) -> None:
        """Ask for ``path`` on several connections at once, so that every worker's own
        page cache holds it (a local-memory cache is per process)."""
        with ThreadPoolExecutor(max_workers=requests) as pool:
            list(pool.map(lambda _: self.get(path), range(requests)))

    def download(self, path: str, timeout: float = 300) -> "Download":
        """One GET read to its end: status, time to the first byte and to the last, size,
        and whether the answer arrived whole (a worker killed mid-stream cuts it short)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            start = time.perf_counter()
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
            )
            received = sock.recv(65536)
            first_at = time.perf_counter() - start
            while b"\r\n\r\n" not in received and (chunk := sock.recv(65536)):
                received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            size, tail = len(body), body[-5:]
            while chunk := sock.recv(65536):
                size += len(chunk)
                tail = (tail + chunk)[-5:]
            total = time.perf_counter() - start
        try:
            status = int(head.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = 0
        return Download(status, first_at, total, size, arrived_whole(head, tail, size))

    def settle(self, timeout: float = 120) -> None:
        """Wait until the workers have finished what an earlier load left them."""
        for _ in range(self.workers):
            try:
                self.get("/healthz" if self.app == SITE_APP else "/", timeout=timeout)
            except OSError:
                return

    def worker_pids(self) -> list[int]:
        try:
            return [child.pid for child in psutil.Process(self.process.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def _sample(self) -> None:
        while True:
            for pid in self.worker_pids():
                kb = vm_hwm_kb(pid)
                if kb is not None:
                    self.peak_kb[pid] = max(kb, self.peak_kb.get(pid, 0))
            if self._stop_sampling.wait(0.25):
                return

    def peak_rss_mb(self) -> dict[int, float]:
        """Peak RSS in MB of every worker seen so far (recycled ones included)."""
        for pid in self.worker_pids():
            kb = vm_hwm_kb(pid)
            if kb is not None:
                self.peak_kb[pid] = max(kb, self.peak_kb.get(pid, 0))
        return {pid: kb / 1024 for pid, kb in self.peak_kb.items()}
