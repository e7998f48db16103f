"""Run the benchmarks: `python -m bench [NAME ...]`.

Benchmarks set up Django themselves (settings `config.settings.base`, the database from
DATABASE_URL) and clean up what they create. Figures go into docs/BENCHMARKS.md by hand, with the
command and the machine.
"""

import importlib
import os
import pkgutil
import platform
import sys
from pathlib import Path


def _available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(folder)])
        if m.name.startswith("bench_")
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    names = sys.argv[1:] or _available()
    print(
        f"# machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for name in names:
        print(f"\n## {name}")
        importlib.import_module(f"bench.bench_{name}").main()


if __name__ == "__main__":
    main()
