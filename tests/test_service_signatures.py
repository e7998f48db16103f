"""The acting user is the first argument of every service (issue [M] item 6): a reader of
`<entity>_<verb>(actor, …)` never has to look up where the actor goes, and a service that forgot
to take one stands out. This walks every services module and fails on a service that takes an
actor anywhere but first."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "motcua"
ACTOR_NAMES = {"actor", "user", "officer", "acting_user"}


def _service_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts:
            continue
        if path.stem.endswith("services") or "services" in parts[:-1]:
            yield path


def _misplaced_actors():
    found = []
    for path in _service_modules():
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
            actors = [i for i, name in enumerate(params) if name in ACTOR_NAMES]
            if actors and actors[0] != 0:
                found.append(f"{path.relative_to(ROOT)}::{node.name}({', '.join(params)})")
    return found


def test_every_service_takes_its_actor_first():
    assert len(list(_service_modules())) > 10, "too few services modules: the walk is broken"
    assert _misplaced_actors() == []
