"""The layer rule (docs/adr/0001-modular-monolith-django.md): a domain app never imports an interface
app — not at the top of a module, not lazily inside a function. Interfaces call the domain; the
domain tells interfaces about changes through registries they subscribe to (motcua.dossiers.changes,
ADR 0018).

Interface apps: backoffice, portal, api and the command line (cli.py). Every other package under
motcua/ is domain, including demo: the demo loader builds data through the domain's services, like an
import, and has no reason to reach into an interface."""

import ast
from pathlib import Path

MOTCUA = Path(__file__).resolve().parent.parent / "motcua"
INTERFACES = ("motcua.backoffice", "motcua.portal", "motcua.api")
INTERFACE_MODULES = {"cli"}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_domain(module: str) -> bool:
    top = module.split(".")[1] if "." in module else ""
    return bool(top) and f"motcua.{top}" not in INTERFACES and top not in INTERFACE_MODULES


def _imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module name an import statement anywhere in the tree (functions included) names,
    relative imports resolved; `from motcua import portal` counts as motcua.portal."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if _is_interface(base):
                found.append((node.lineno, base))
            else:  # `from motcua import portal` names the interface in the alias
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _is_interface(name: str) -> bool:
    return any(name == i or name.startswith(i + ".") for i in INTERFACES)


def domain_to_interface_imports(root: Path = MOTCUA) -> list[str]:
    offences = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        if not _is_domain(module):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in _imported(tree, module, path.name == "__init__.py"):
            if _is_interface(name):
                offences.append(f"{path.relative_to(root.parent)}:{line} imports {name}")
    return sorted(set(offences))


def test_no_domain_module_imports_an_interface_app():
    assert domain_to_interface_imports() == []


def test_the_check_sees_every_kind_of_import(tmp_path):
    """The check itself can fail: top-level, lazy, relative and `from motcua import …` imports
    of an interface from a domain module are all caught; an interface importing the domain is
    not an offence."""
    root = tmp_path / "motcua"
    (root / "payments").mkdir(parents=True)
    (root / "backoffice").mkdir()
    (root / "payments" / "__init__.py").write_text("")
    (root / "payments" / "views.py").write_text(
        "from motcua.backoffice.panels import Panel\n"
        "import motcua.api.routers\n"
        "from motcua import portal\n"
        "from ..portal import services\n"
        "def page():\n"
        "    from motcua.portal.services import x\n"
    )
    (root / "backoffice" / "views.py").write_text("from motcua.payments import services\n")
    (root / "cli.py").write_text("from motcua.backoffice import views\n")
    assert domain_to_interface_imports(root) == [
        "motcua/payments/views.py:1 imports motcua.backoffice.panels",
        "motcua/payments/views.py:2 imports motcua.api.routers",
        "motcua/payments/views.py:3 imports motcua.portal",
        "motcua/payments/views.py:4 imports motcua.portal",
        "motcua/payments/views.py:6 imports motcua.portal.services",
    ]
