"""How much of motcua/ the type checker covers: `make typecheck-coverage`.

A module is checked unless it is migrations or on the "not checked yet" list in pyproject.toml (the
mypy override with ignore_errors). mypy runs with check_untyped_defs, so every function in a checked
module has its body checked; "annotated" counts functions with at least one annotation, whose callers
are checked against their signature too.
"""

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def unchecked_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    overrides = config["tool"]["mypy"].get("overrides", [])
    return {
        module
        for override in overrides
        if override.get("ignore_errors")
        for module in override["module"]
    }


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def functions(path: Path) -> tuple[int, int]:
    """(functions, annotated functions) in one file, methods and nested functions included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    total = annotated = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            total += 1
            args = node.args
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            if node.returns is not None or any(a is not None and a.annotation for a in every):
                annotated += 1
    return total, annotated


def main() -> int:
    unchecked = unchecked_modules()
    counts = {"checked": [0, 0, 0], "unchecked": [0, 0, 0]}  # files, functions, annotated
    for path in sorted((ROOT / "motcua").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        total, annotated = functions(path)
        side = "unchecked" if module_name(path) in unchecked else "checked"
        counts[side][0] += 1
        counts[side][1] += total
        counts[side][2] += annotated
    files = counts["checked"][0] + counts["unchecked"][0]
    funcs = counts["checked"][1] + counts["unchecked"][1]
    annotated = counts["checked"][2] + counts["unchecked"][2]
    checked_files, checked_funcs, checked_annotated = counts["checked"]
    print(f"modules checked by mypy:   {checked_files} / {files} ({checked_files / files:.1%})")
    print(f"functions checked by mypy: {checked_funcs} / {funcs} ({checked_funcs / funcs:.1%})")
    print(
        f"annotated functions:       {annotated} / {funcs} ({annotated / funcs:.1%}) in motcua/, "
        f"{checked_annotated} / {checked_funcs} ({checked_annotated / checked_funcs:.1%}) "
        "in the checked modules"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
