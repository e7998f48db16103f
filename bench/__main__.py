"""Run the benchmarks: `python -m bench [--scale small|1m|10m|soak] [NAME ...]` (`make bench SCALE=…`).

`--scale soak` runs the soak alone (bench/bench_soak.py, BENCH_SOAK_SECONDS, default 600 s);
the other scales run every benchmark but the soak.

Every run uses the bench settings (bench/settings.py: production's, DEBUG off) and its own
PostgreSQL database, `motcua_bench_<scale>`, created, migrated and filled with the scale's data set
on first use (bench/data.py) and reused afterwards. Each benchmark prints its figures with the
baseline measured in the same run, the ratio, the target and PASS/FAIL; a summary ends the run.
Figures go into docs/BENCHMARKS.md by hand, with the command, the machine and the date.
"""

import argparse
import importlib
import os
import pkgutil
import platform
import sys
import time
import traceback
from pathlib import Path


def _available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(folder)])
        if m.name.startswith("bench_")
    )


def _arguments():
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "small"))
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print where each benchmark's time goes: top functions and SQL statements",
    )
    parser.add_argument("names", nargs="*", help=f"some of: {' '.join(_available())}")
    return parser.parse_args()


def main() -> None:
    arguments = _arguments()
    os.environ["BENCH_SCALE"] = arguments.scale
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    started = time.perf_counter()
    import django

    django.setup()
    from bench import data, harness

    harness.scale()  # refuses an unknown scale before anything is created
    print(
        f"# machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; scale {arguments.scale}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    data.database_ensure()
    data.dataset_ensure()
    data.steps_ensure()
    crashed = []
    default = harness.ONLY.get(arguments.scale) or [
        name for name in _available() if name not in harness.ONLY.get("soak", [])
    ]
    for name in arguments.names or default:
        print(f"\n## {name}", flush=True)
        begun = time.perf_counter()
        try:
            run = importlib.import_module(f"bench.bench_{name}").main
            if arguments.profile:
                from bench.profiling import profiled

                print(profiled(run), flush=True)
            else:
                run()
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            crashed.append(name)
        print(f"({name}: {time.perf_counter() - begun:.0f} s)", flush=True)
    print(harness.summary())
    print(f"total {time.perf_counter() - started:.0f} s")
    if crashed:
        print(f"crashed: {', '.join(crashed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
