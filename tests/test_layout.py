"""Issue 16: the layout shows the design. The stages and the domain sit at explainer/'s top level (and in
views/); the machinery around them lives in explainer/incremental/, explainer/parallel/ and explainer/serve/,
and the imports only point inwards: the stages never import the machinery, incremental never imports serve,
and only the command line imports serve. Imports are read with `ast`, relative ones resolved."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "explainer"
MACHINERY = ("explainer.incremental", "explainer.parallel", "explainer.serve")
ORCHESTRATION = {"explainer.pipeline", "explainer.cli", "explainer.__main__"}  # may import everything
STAGES = ("load", "validate", "link", "pages", "render", "write")


def import_target(node: ast.ImportFrom, package: str) -> str:
    """The absolute module a `from … import` names, its dots resolved against package."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def imported(name: str, path: Path, source: str, known: set[str]) -> set[str]:
    """The explainer modules a module's source imports, anywhere in it (functions and TYPE_CHECKING blocks
    too): for `from X import y`, X and, when it is a module, X.y."""
    package = name if is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = import_target(node, package)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in known)
    return {module for module in found if within(module, "explainer")}


def imports() -> dict[str, set[str]]:
    found = modules()
    return {name: imported(name, path, path.read_text(), set(found)) for name, path in found.items()}


def machinery(name: str) -> str | None:
    return next((package for package in MACHINERY if within(name, package)), None)


def broken_rules(graph: dict[str, set[str]]) -> list[str]:
    """Every import that breaks a rule of the layout, as 'importer imports imported (rule)'."""
    broken = []
    for name, targets in sorted(graph.items()):
        home = machinery(name)
        for target in sorted(targets):
            there = machinery(target)
            if there is None or there == home:
                continue
            if home is None and name not in ORCHESTRATION:
                broken.append(f"{name} imports {target} (a stage or the domain imports the machinery)")
            elif home == "explainer.incremental" and there == "explainer.serve":
                broken.append(f"{name} imports {target} (incremental imports serve)")
            elif there == "explainer.serve" and name not in {"explainer.cli", "explainer.__main__"}:
                broken.append(f"{name} imports {target} (only the command line imports serve)")
    return broken


def test_the_imports_point_inwards() -> None:
    assert broken_rules(imports()) == []


def test_the_stages_are_at_the_top_and_the_machinery_in_its_packages() -> None:
    found = modules()
    assert all(f"explainer.{stage}" in found and not is_package(found[f"explainer.{stage}"]) for stage in STAGES)
    assert all(is_package(found[package]) for package in MACHINERY)
    for old in ("buildcache", "relink", "parallel", "loadpool", "serve", "preview", "incremental"):
        assert not (PACKAGE / f"{old}.py").exists()


def test_the_rules_see_relative_and_nested_imports() -> None:
    """The check can fail: the imports the move had to invert, as they were written, are each caught."""
    known = set(modules())
    cases = {
        ("explainer.write", "write.py"): "from .incremental.buildcache import Stamp\n",
        ("explainer.views.files", "views/files.py"): "def f():\n    from ..parallel import sidewrite\n",
        ("explainer.incremental.memory", "incremental/memory.py"): "from ..serve.loop import Reload\n",
        ("explainer.parallel.pagepool", "parallel/pagepool.py"): "from .. import serve\n",
        ("explainer.theme", "theme.py"): "import explainer.parallel.gctune\n",
    }
    graph = {name: imported(name, PACKAGE / rel, source, known) for (name, rel), source in cases.items()}
    assert [line.split(" (")[0] for line in broken_rules(graph)] == [
        "explainer.incremental.memory imports explainer.serve.loop",
        "explainer.parallel.pagepool imports explainer.serve",
        "explainer.theme imports explainer.parallel.gctune",
        "explainer.views.files imports explainer.parallel",
        "explainer.views.files imports explainer.parallel.sidewrite",
        "explainer.write imports explainer.incremental.buildcache",
    ]
    assert broken_rules({"explainer.cli": {"explainer.serve.loop"}, "explainer.pipeline": {"explainer.parallel"}}) == []


def defined(path: Path) -> set[str]:
    """The names a module's top level defines or imports."""
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def test_every_explainer_import_names_a_module_of_this_tree() -> None:
    """An editable install elsewhere can still answer for a module that moved away: no import may rely on
    that. Every `explainer…` import in the package, tests, bench and build.py names a module here, and each
    name taken from it is a submodule or defined in it."""
    found = modules()
    sources = [*PACKAGE.rglob("*.py"), *(REPO / "tests").glob("*.py"), *(REPO / "bench").glob("*.py")]
    missing = []
    for path in [*sources, REPO / "build.py"]:
        name = module_name(path) if path.is_relative_to(PACKAGE) else "script"
        package = name if is_package(path) else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                missing += [a.name for a in node.names if within(a.name, "explainer") and a.name not in found]
            elif isinstance(node, ast.ImportFrom):
                target = import_target(node, package)
                if not within(target, "explainer"):
                    continue
                if target not in found:
                    missing.append(f"{path.name}: {target}")
                    continue
                names = defined(found[target])
                missing += [
                    f"{path.name}: {target}.{a.name}"
                    for a in node.names
                    if f"{target}.{a.name}" not in found and a.name not in names
                ]
    assert missing == []


def test_no_module_level_job_state() -> None:
    """No `global` statement in the package: a job's data reaches forked workers by inheritance
    (explainer/parallel/forks.py), never through a module-level slot the parent fills and must empty."""
    found = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Global)
    ]
    assert found == []


MAX_LINES, MAX_PARAMETERS = 60, 7


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """How many parameters a caller passes: a method's self or cls is not one."""
    arguments = node.args
    named = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return len(named) - (bool(named) and named[0].arg in ("self", "cls"))


def test_the_functions_of_the_parallel_package_are_small() -> None:
    """Issue 16: functions of at most ~60 lines and ~7 parameters in explainer/parallel/."""
    found = []
    for path in sorted((PACKAGE / "parallel").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES or parameters(node) > MAX_PARAMETERS:
                    found.append(f"{path.name}:{node.lineno}: {node.name}: {lines} lines, {parameters(node)} params")
    assert found == []
