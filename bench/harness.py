"""What every benchmark shares: the scale, the figures with their baselines, and the summary.

A figure is never judged alone: each is divided by a baseline measured in the same run on the same
machine (a ceiling or a raw loop doing the same work), so a busy or a fast machine moves both.
Targets that the issue states in absolute terms (milliseconds, megabytes, computations per second)
are judged on the figure, and the baseline is printed beside it to show how loaded the machine was.
"""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

# Dossiers generated per scale. `small` is a small province's quarter, enough to exercise every path.
# `soak` is small's data set in a database of its own, for the long run of bench_soak.py alone.
SCALES = {"small": 50_000, "1m": 1_000_000, "10m": 10_000_000, "soak": 50_000}
# The benchmarks a scale runs when none is named: the soak alone at `soak`, never at the others.
ONLY = {"soak": ["soak"]}


# The targets of issue [P] 3, raised from issue [H]'s once those were met; every benchmark reads
# its own from here, so the pass/fail line and this table never disagree. A ratio is the figure
# over the baseline measured in the same run; times in ms, memory in MB.
TARGETS = {
    "tracking_min_ratio": 0.85,  # req/s of the tracking page ≥ 0,85 × the ceiling's ([H]: 0,6)
    "tracking_p99_max_ratio": 1.5,  # its p99 ≤ 1,5 × the ceiling's ([H]: 2)
    "intake_one_min_ratio": 0.7,  # desk intake, one process ≥ 0,7 × the raw loop ([H]: 0,35)
    "intake_two_min_ratio": 0.35,  # two processes: not raised by [P]
    "import_min_ratio": 0.3,  # import ≥ 0,3 × COPY ([H]: 0,1)
    "worklist_p99_ms": 15,  # every role's worklist p99 ([H]: 30)
    "sixmonth_ms": 300,
    "worker_peak_mb": 120,  # granian worker VmHWM ([H]: 150)
}
# Targets that depend on the scale: the six-month report's ratio to the raw aggregate (≤ 0,1 at
# 10 M, where the raw aggregate is large; [H]'s 0,5 below it) and the leader's dashboard (ms).
SCALE_TARGETS = {
    "sixmonth_max_ratio": {"10m": 0.1},
    "dashboard_ms": {"10m": 150},
}
SCALE_TARGET_DEFAULTS = {"sixmonth_max_ratio": 0.5, "dashboard_ms": 100}


def target(name: str) -> float:
    """The target `name` at the current scale."""
    if name in TARGETS:
        return TARGETS[name]
    return SCALE_TARGETS[name].get(scale(), SCALE_TARGET_DEFAULTS[name])


def scale() -> str:
    name = os.environ.get("BENCH_SCALE", "small")
    if name not in SCALES:
        raise SystemExit(f"SCALE={name}: choose one of {', '.join(SCALES)}")
    return name


def dossier_count() -> int:
    return SCALES[scale()]


def by_scale(small, large):
    """A duration or a sample size: short at `small` so the whole run stays under 3 minutes."""
    return small if scale() in ("small", "soak") else large


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float
    baseline_label: str
    target: str
    passed: bool | None  # None: nothing to judge (reported for information)

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    def line(self) -> str:
        verdict = {True: "PASS", False: "FAIL", None: "—"}[self.passed]
        return (
            f"{self.name}: {number(self.value)} {self.unit} | baseline {self.baseline_label} "
            f"{number(self.baseline)} {self.unit} | ratio {number(self.ratio)} | target {self.target} "
            f"| {verdict}"
        )


FIGURES: list[Figure] = []


def record(
    name: str,
    value: float,
    unit: str,
    baseline: float,
    baseline_label: str,
    *,
    min_ratio: float | None = None,
    max_ratio: float | None = None,
    max_value: float | None = None,
    min_value: float | None = None,
) -> Figure:
    """Print one figure with its baseline, ratio, target and verdict, and keep it for the summary."""
    ratio = value / baseline if baseline else float("nan")
    checks, targets = [], []
    if min_ratio is not None:
        checks.append(ratio >= min_ratio)
        targets.append(f"ratio ≥ {number(min_ratio)}")
    if max_ratio is not None:
        checks.append(ratio <= max_ratio)
        targets.append(f"ratio ≤ {number(max_ratio)}")
    if min_value is not None:
        checks.append(value >= min_value)
        targets.append(f"≥ {number(min_value)} {unit}")
    if max_value is not None:
        checks.append(value <= max_value)
        targets.append(f"≤ {number(max_value)} {unit}")
    figure = Figure(
        name,
        value,
        unit,
        baseline,
        baseline_label,
        " and ".join(targets) or "none",
        all(checks) if checks else None,
    )
    FIGURES.append(figure)
    print(figure.line(), flush=True)
    return figure


def number(value: float) -> str:
    """Vietnamese style: 4.612 and 0,83 (the same as docs/BENCHMARKS.md)."""
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:,.1f}"
    else:
        text = f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (p99 of 200 samples is the 198th smallest)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def samples(action: Callable[[], object], count: int) -> list[float]:
    """`count` wall times of `action`, in milliseconds."""
    return [timed(action) * 1000 for _ in range(count)]


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median duration of `action` over `runs` calls, in milliseconds, after one call to warm
    it (caches, query plans, pages in memory)."""
    action()
    return median(samples(action, runs))


def median(values: list[float]) -> float:
    return statistics.median(values)


def summary() -> str:
    lines = ["", "## summary", ""]
    lines += [figure.line() for figure in FIGURES]
    failed = sum(1 for figure in FIGURES if figure.passed is False)
    lines.append(f"\n{len(FIGURES)} figures, {failed} below target.")
    return "\n".join(lines)
