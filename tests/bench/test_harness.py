"""The harness's small pieces: percentiles, verdicts, Vietnamese numbers, wrk's output."""

import pytest

from bench import harness
from bench.server import parse_wrk

WRK_OUTPUT = """Running 6s test @ http://127.0.0.1:8000/bench/ceiling/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.02ms    4.11ms  63.20ms   80.00%
    Req/Sec     2.01k   210.00     2.50k    70.00%
  Latency Distribution
     50%    7.10ms
     75%    9.80ms
     90%   12.50ms
     99%    1.20s
  24123 requests in 6.00s, 60.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   4020.50
Transfer/sec:     10.00MB
"""


def test_wrk_output_gives_rate_percentiles_in_ms_and_every_kind_of_error():
    load = parse_wrk(WRK_OUTPUT)
    assert load.requests_per_second == 4020.50
    assert load.p50_ms == pytest.approx(7.10)
    assert load.p99_ms == pytest.approx(1200)
    assert load.requests == 24123
    assert load.errors == 4 + 2 + 1


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 201))  # 1..200
    assert harness.percentile(values, 0.99) == 198
    assert harness.percentile(values, 0.5) == 100
    assert harness.percentile([5.0], 0.99) == 5.0


def test_a_figure_is_judged_on_its_ratio_or_its_value(capsys):
    harness.FIGURES.clear()
    faster = harness.record("x", 70, "req/s", 100, "ceiling", min_ratio=0.6)
    slower = harness.record("y", 50, "req/s", 100, "ceiling", min_ratio=0.6)
    late = harness.record("z", 31, "ms", 5, "raw", max_value=30)
    both = harness.record("w", 40, "ms", 10, "raw", max_ratio=2.0, max_value=50)
    assert (faster.passed, slower.passed, late.passed, both.passed) == (True, False, False, False)
    printed = capsys.readouterr().out
    assert (
        "x: 70,0 req/s | baseline ceiling 100 req/s | ratio 0,70 | target ratio ≥ 0,60 | PASS"
        in printed
    )
    assert "2 below target" not in printed
    assert "4 figures, 3 below target." in harness.summary()
    harness.FIGURES.clear()


def test_numbers_are_written_the_vietnamese_way():
    assert harness.number(4612.4) == "4.612"
    assert harness.number(0.834) == "0,83"
    assert harness.number(12.34) == "12,3"
    assert harness.number(1_234_567) == "1.234.567"


def test_an_unknown_scale_is_refused(monkeypatch):
    monkeypatch.setenv("BENCH_SCALE", "huge")
    with pytest.raises(SystemExit):
        harness.scale()
    monkeypatch.setenv("BENCH_SCALE", "1m")
    assert harness.dossier_count() == 1_000_000 and harness.by_scale(6, 30) == 30


def test_interleaved_runs_take_turns_and_combine_robustly():
    from bench.server import Load, interleaved

    order = []

    def run(name, rate, p99):
        def measure(seconds):
            order.append(name)
            return Load(rate, 1.0, p99, int(rate * seconds), 0)

        return measure

    loads = interleaved({"a": run("a", 100, 10), "b": run("b", 50, 20)}, rounds=3, seconds=2)
    assert order == ["a", "b", "a", "b", "a", "b"]
    assert loads["a"].requests_per_second == 100 and loads["a"].requests == 600
    assert loads["b"].p99_ms == 20


def test_raised_targets_of_issue_p3_are_what_the_benchmarks_judge(monkeypatch):
    monkeypatch.setenv("BENCH_SCALE", "1m")
    assert harness.target("tracking_min_ratio") == 0.85
    assert harness.target("tracking_p99_max_ratio") == 1.5
    assert harness.target("intake_one_min_ratio") == 0.7
    assert harness.target("import_min_ratio") == 0.3
    assert harness.target("worklist_p99_ms") == 15
    assert harness.target("worker_peak_mb") == 120
    assert harness.target("dashboard_ms") == 100
    assert harness.target("sixmonth_max_ratio") == 0.5
    monkeypatch.setenv("BENCH_SCALE", "10m")
    assert harness.target("dashboard_ms") == 150
    assert harness.target("sixmonth_max_ratio") == 0.1
    # A figure just outside a raised target fails; the old [H] target would have passed it.
    assert (
        harness.record("w", 16, "ms", 1, "raw", max_value=harness.target("worklist_p99_ms")).passed
        is False
    )
