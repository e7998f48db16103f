"""The app served as in production (`motcua serve`: granian, 2 workers, bench.settings) and wrk
against it."""

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
# Threads per worker, each with its own persistent database connection. Python code holds the GIL,
# so more threads only overlap waits on PostgreSQL; granian's default (up to 256) would open more
# connections than PostgreSQL's 100 and fail requests.
THREADS = 4


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers, socket errors and timeouts

    def text(self) -> str:
        from bench.harness import number

        return (
            f"{number(self.requests_per_second)} req/s, p50 {number(self.p50_ms)} ms, "
            f"p99 {number(self.p99_ms)} ms, {number(self.requests)} requests, {self.errors} errors"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`motcua serve` (granian) on a loopback port, with the bench settings unless `env` names
    others; a context manager that always stops it."""

    def __init__(self, env: dict | None = None, *, workers: int = WORKERS, threads: int = THREADS):
        self.port = free_port()
        self.env = env or {}
        self.workers = workers
        self.threads = threads
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.start()
        try:
            self.wait_listening()
        except BaseException:
            self.__exit__()
            raise
        return self

    def start(self) -> "Server":
        """Start without waiting (several servers start together; `wait_listening` before use)."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            **self.env,
            "MOTCUA_SERVE_HOST": "127.0.0.1",
            "MOTCUA_SERVE_PORT": str(self.port),
            "MOTCUA_SERVE_WORKERS": str(self.workers),
            "MOTCUA_SERVE_THREADS": str(self.threads),
            "MOTCUA_SERVE_LOG_LEVEL": "warning",
        }
        # The production command (motcua/core/management/commands/serve.py), which replaces itself
        # with granian: this process's pid is granian's main process.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "motcua.cli", "serve"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_listening(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"granian stopped (exit {self.process.returncode})")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("granian did not listen within 60 s")

    def worker_pids(self) -> list[int]:
        """The processes under granian's main process (its workers)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def worker_samples(self) -> dict[int, tuple[float, float]]:
        """Per worker: its resident memory now (VmRSS, MB) and the processor time it has used so
        far (user + system, seconds: how much work it has done)."""
        ticks = os.sysconf("SC_CLK_TCK")
        samples = {}
        for pid in self.worker_pids():
            try:
                rss = _status_mb(pid, "VmRSS")
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if rss is not None:
                samples[pid] = (rss, (int(fields[11]) + int(fields[12])) / ticks)  # utime, stime
        return samples

    def worker_memory_mb(self, field: str = "VmHWM") -> list[float]:
        """Per worker: VmHWM is the resident-memory high-water mark, VmRSS the current size."""
        sizes = (_status_mb(pid, field) for pid in self.worker_pids())
        return [size for size in sizes if size is not None]


def _status_mb(pid: int, field: str) -> float | None:
    """A memory line of /proc/PID/status in MB (None when the kernel does not show it)."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


LUA_PATHS = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wrk(url: str, seconds: int, *, paths: list[str] | None = None) -> Load:
    """wrk, 2 threads × 32 connections; with `paths`, each request takes the next one of them."""
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if paths:
            script.write(LUA_PATHS % ", ".join(f'"{p}"' for p in paths))
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def interleaved(runs: dict[str, Callable[[int], Load]], rounds: int, seconds: int) -> dict:
    """Each run `rounds` times for `seconds`, in turn (A B C A B C …), so that a change in the
    machine's load during the measurement touches every run alike; rates are averaged, latency
    percentiles are the median of the rounds'."""
    slices: dict[str, list[Load]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            slices[name].append(run(seconds))
    return {name: combined(loads) for name, loads in slices.items()}


def combined(loads: list[Load]) -> Load:
    return Load(
        requests_per_second=statistics.fmean(load.requests_per_second for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        requests=sum(load.requests for load in loads),
        errors=sum(load.errors for load in loads),
    )


def parse_wrk(output: str) -> Load:
    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = (
        int(re.search(r"Non-2xx or 3xx responses: (\d+)", output).group(1))
        if ("Non-2xx" in output)
        else 0
    )
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=requests,
        errors=errors,
    )
