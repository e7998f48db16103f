"""A server worker starts without the heavy libraries it may never use (issue [P] 3: worker peak
memory ≤ 120 MB; motcua/core/lazy.py)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from motcua.core.lazy import LAZY_LIBRARIES, is_loaded, lazy_module

ROOT = Path(__file__).resolve().parents[2]

# What a granian worker does before its first request (config/wsgi.py): set Django up with the
# production settings and load the URLconf, hence every view module and what they import.
WORKER_START = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from config.wsgi import application
from motcua.core.lazy import LAZY_LIBRARIES, is_loaded
print(json.dumps({name: is_loaded(name) for name in LAZY_LIBRARIES}))
"""


def test_a_worker_starts_without_loading_the_heavy_libraries():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    done = subprocess.run(
        [sys.executable, "-c", WORKER_START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(loaded) == sorted(LAZY_LIBRARIES)
    assert not [name for name, really in loaded.items() if really], loaded


def test_a_lazy_module_is_executed_on_first_use_only(tmp_path, monkeypatch):
    # A module of this test's own, so nothing can have loaded it before: executing it counts.
    (tmp_path / "motcua_lazy_probe.py").write_text(
        "import builtins\nbuiltins.motcua_lazy_probe_runs = getattr(builtins, 'motcua_lazy_probe_runs', 0) + 1\nANSWER = 42\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "motcua_lazy_probe", raising=False)
    import builtins

    monkeypatch.setattr(builtins, "motcua_lazy_probe_runs", 0, raising=False)
    module = lazy_module("motcua_lazy_probe")
    assert not is_loaded("motcua_lazy_probe") and builtins.motcua_lazy_probe_runs == 0
    assert module.ANSWER == 42
    assert is_loaded("motcua_lazy_probe") and builtins.motcua_lazy_probe_runs == 1
    assert lazy_module("motcua_lazy_probe") is module and module.ANSWER == 42
    assert builtins.motcua_lazy_probe_runs == 1
    monkeypatch.delitem(sys.modules, "motcua_lazy_probe")
