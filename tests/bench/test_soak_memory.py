"""The soak's memory verdict (issue [O] 15): each worker is judged from its own warm instant."""

from bench import bench_soak, harness


def _samples(first_busy: int, idle_mb: float, warm_mb: list[float], end: int = 600):
    """(at, RSS MB, CPU s) every 10 s: idle until first_busy, then 0,2 s of CPU a second and
    the RSS climbing through warm_mb, then flat at its last value."""
    rows, cpu = [], 0.0
    for at in range(0, end + 1, 10):
        if at > first_busy:
            cpu += 2.0
        step = (at - first_busy) // 60
        rss = idle_mb if at <= first_busy else warm_mb[min(max(step, 0), len(warm_mb) - 1)]
        rows.append((float(at), rss, cpu))
    return rows


def _verdicts(monkeypatch, samples):
    figures = []
    monkeypatch.setattr(bench_soak, "record", lambda *a, **k: figures.append((a, k)))
    bench_soak._judge_memory(1, samples, 60)
    return figures


def test_a_worker_busy_only_from_the_second_minute_is_judged_from_its_own_warm_up(monkeypatch):
    # Idle at 100 MB for a minute, then warming up over two minutes, then flat: by the run's
    # 120 s it would look like +20 %; from its own warm instant it is flat.
    samples = _samples(60, 100, [100, 130, 150, 152, 153])
    assert bench_soak._busy_from(samples) == 60
    ((args, kwargs),) = _verdicts(monkeypatch, samples)
    assert args[0].endswith("memory growth, worker 1")
    assert args[1] < 10 and kwargs["max_value"] == 10


def test_a_worker_that_keeps_growing_fails(monkeypatch):
    samples = _samples(0, 100, [100 + 10 * i for i in range(12)])
    ((args, _kwargs),) = _verdicts(monkeypatch, samples)
    assert args[1] > 10


def test_a_worker_busy_too_late_is_not_judged_and_fails(monkeypatch, capsys):
    samples = _samples(300, 100, [150])
    ((args, kwargs),) = _verdicts(monkeypatch, samples)
    assert "judged" in args[0] and args[1] < kwargs["min_value"]
    figure = harness.record(*args, **kwargs)
    assert not figure.passed
