"""explainer installed as a package, and the default theme under a site's own templates/ and static/.

The wheel is built and installed as a newsroom's CI would (`pip install`, not -e) into a fresh virtual
environment, and run in a folder that holds only content/ and one template of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, run_main, soup, tree
from test_serve import WAIT, Server

MARKER = '<p class="newsroom-marker">The Daily Planet</p>'
ISSUE = "issues/nato-expansion/index.html"
SOURCES = ("pyproject.toml", "setup.py", "README.md", "explainer", "templates", "static")


def with_marker(base: str) -> str:
    """The default base.html with a marker in its header: a newsroom's own header."""
    anchor = '<div class="masthead-inner">'
    assert anchor in base
    return base.replace(anchor, anchor + MARKER, 1)


def own_site(root: Path) -> Path:
    """A folder holding only the example's content/ and templates/base.html of its own."""
    shutil.copytree(REPO / "content", root / "content")
    (root / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates" / "base.html").write_text(with_marker(base), encoding="utf-8")
    return root


def issue_title() -> str:
    card = (REPO / "content" / "issues" / "nato-expansion.md").read_text(encoding="utf-8")
    found = re.search(r"^title: (.+)$", card, re.MULTILINE)
    assert found
    return found.group(1)


def user_env() -> dict[str, str]:
    """The environment without the PYTHONPATH the tests run with: the installed package, not this checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the source, as `pip install .` builds one (build isolation: setuptools
    from PyPI, as the pyproject asks), so no build/ or egg-info lands in the checkout."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if not (REPO / name).exists():  # setup.py: the packaging may live in pyproject.toml alone
            continue
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(source), "-w", str(dist)]
    built = subprocess.run(command, capture_output=True, text=True, timeout=300, env=user_env())
    assert built.returncode == 0, built.stderr
    (found,) = dist.glob("explainer-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed. It sees this machine's packages (jinja2 ...,
    installed already) but explainer itself only from the wheel."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
               "--ignore-installed", "--no-warn-script-location", str(wheel)]  # fmt: skip
    installed = subprocess.run(install, capture_output=True, text=True, timeout=300, env=user_env())
    assert installed.returncode == 0, installed.stderr
    return root


def test_the_wheel_holds_every_module_and_the_default_theme(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "explainer").rglob("*.py")}
    assert {f"explainer/views/{p.name}" for p in (REPO / "explainer" / "views").glob("*.py")} <= names
    assert modules - names == set()
    for name in ("templates", "static"):
        theme = {f"explainer/_theme/{name}/{rel}" for rel in tree(REPO / name)}
        assert theme and theme <= names
    assert not any(name.startswith(("templates/", "static/", "content/")) for name in names)


def test_the_installed_command_builds_a_site_of_only_content_and_one_template(venv: Path, tmp_path: Path) -> None:
    site = own_site(tmp_path / "newsroom")
    where = subprocess.run([venv / "bin" / "python", "-c", "import explainer; print(explainer.__file__)"],
                           cwd=site, capture_output=True, text=True, env=user_env(), check=True)  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # the wheel's, not this checkout's

    result = subprocess.run([venv / "bin" / "explainer"], cwd=site, capture_output=True, text=True, timeout=300,
                            env=user_env())  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    output = site / "output"
    home, issue = soup(output / "index.html"), soup(output / ISSUE)
    for page in (home, issue):  # the site's own base.html
        assert page.select_one("header .newsroom-marker").get_text() == "The Daily Planet"
    # the default theme's issue.html, extending the site's base.html
    assert issue.select_one("main h1").get_text(strip=True) == issue_title()
    assert issue.select_one("main[data-pagefind-body]") is not None
    for link in (*home.select("link[rel=stylesheet], link[rel=icon]"), *home.select("script[src]")):
        target = link.get("href") or link.get("src")
        assert (output / str(target).lstrip("/")).is_file(), target  # the default theme's static files
    assert len(list((output / "static").iterdir())) == len(tree(REPO / "static"))

    module = subprocess.run([venv / "bin" / "python", "-m", "explainer", "--version"], cwd=site,
                            capture_output=True, text=True, env=user_env())  # fmt: skip
    assert module.returncode == 0 and module.stdout.startswith("explainer "), module.stderr


def test_a_sites_own_files_override_the_default_theme_file_by_file(tmp_path: Path) -> None:
    site = own_site(tmp_path)
    (site / "static").mkdir()
    own_icon = b'<svg xmlns="http://www.w3.org/2000/svg"><title>Daily Planet</title></svg>\n'
    (site / "static" / "favicon.svg").write_bytes(own_icon)
    (site / "static" / "planet.txt").write_text("ours\n")
    result = run_main(site, "--no-cache", "--no-search", "-j", "1")
    assert result.returncode == 0, result.stderr
    output = site / "output"
    issue = soup(output / ISSUE)
    assert issue.select_one("header .newsroom-marker") is not None
    assert issue.select_one("main h1").get_text(strip=True) == issue_title()
    static = {path.name.split(".")[0] + "." + path.suffix.lstrip("."): path.read_bytes()
              for path in (output / "static").iterdir()}  # fmt: skip
    assert static["favicon.svg"] == own_icon  # the site's own
    assert static["planet.txt"] == b"ours\n"  # added
    assert static["explainer.js"] == (REPO / "static" / "explainer.js").read_bytes()  # the default theme's
    assert "style.css" in static


def test_adding_or_removing_an_own_file_rebuilds_as_a_clean_build_does(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")

    def same_as_clean_build() -> dict[str, bytes]:
        cached = run_main(site, "--no-search", "-j", "1")
        assert cached.returncode == 0, cached.stderr
        clean = run_main(site, "--no-search", "-j", "1", "--no-cache", "--output", "clean")
        assert clean.returncode == 0, clean.stderr
        built = tree(site / "output")
        assert built == tree(site / "clean")
        return built

    plain = same_as_clean_build()
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(with_marker(base), encoding="utf-8")
    (site / "static").mkdir()
    (site / "static" / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    overridden = same_as_clean_build()
    assert MARKER in overridden["index.html"].decode()
    assert overridden.keys() != plain.keys()  # the icon's fingerprinted name
    shutil.rmtree(site / "templates")
    (site / "static" / "favicon.svg").unlink()
    assert same_as_clean_build() == plain


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(REPO / "content", tmp_path / "content")
    started = Server(tmp_path)
    yield started
    status, stderr = started.stop()
    assert status == 0, stderr


def test_serve_sees_a_template_of_the_sites_own_made_while_it_runs(server: Server, tmp_path: Path) -> None:
    assert MARKER not in server.get("/")[2]
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text(with_marker(base), encoding="utf-8")
    deadline = time.monotonic() + WAIT
    while MARKER not in server.get("/")[2]:
        assert time.monotonic() < deadline, "the new template was not picked up"
        time.sleep(0.1)
    (tmp_path / "templates" / "base.html").unlink()
    while MARKER in server.get("/")[2]:
        assert time.monotonic() < deadline, "the removed template was not noticed"
        time.sleep(0.1)
