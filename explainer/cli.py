"""The command line: `python build.py [build|new] ...`."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import shlex
import sys
import tempfile
import traceback
from pathlib import Path
from typing import NoReturn

from . import __version__, check
from .diagnostics import SHOWN_PER_KIND, Diagnostic, shown_lines
from .parallel.childsignals import stop_pools
from .parallel.pagepool import default_jobs
from .pipeline import BuildOptions, BuildResult, build
from .scaffold import SKELETONS, ScaffoldError, create, init
from .write import OutputRefused

ROOT = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
COMMANDS = ("build", "new", "init", "check", "serve")
PLURAL = {"home": "home", "issue": "issues", "actor": "actors", "event": "events", "actors": "index", "events": "index"}


def project_root() -> Path:
    """The working directory if it holds a content/ folder (or if explainer runs installed, not from its
    repository), else the repo's own folder, whose example site `python build.py` builds from anywhere."""
    return Path() if Path("content").is_dir() or not (ROOT / "content").is_dir() else ROOT


def default_folder(name: str) -> Path:
    """A folder of the project. Its templates/ and static/ need not exist: the default theme's files are used
    for any the site does not have (theme.py)."""
    return project_root() / name


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder (default: content)")
    parser.add_argument("--output", type=Path, default=None, metavar="DIR", help="output folder (default: output)")
    parser.add_argument(
        "--templates",
        type=Path,
        default=None,
        metavar="DIR",
        help="the site's own templates, over the default theme's (default: templates)",
    )
    parser.add_argument(
        "--static",
        type=Path,
        default=None,
        metavar="DIR",
        help="the site's own static files, over the default theme's (default: static)",
    )
    parser.add_argument("--base-url", default=None, metavar="URL", help="override base_url from site.yaml")
    parser.add_argument("--drafts", action="store_true", help="include issue cards marked draft: true")
    parser.add_argument(
        "--relative-urls",
        action="store_true",
        help="write page-relative links only, so the output also works opened from disk (file://)",
    )
    parser.add_argument(
        "--no-search", action="store_true", help="skip the Pagefind search index (faster; the search page says so)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors: exit 1 and write nothing if there are any"
    )
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="print errors only, and how many warnings there were (no summary)"
    )
    talk.add_argument(
        "--verbose", action="store_true", help=f"print every warning (default: the first {SHOWN_PER_KIND} of each kind)"
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, metavar="N", help="processes that render pages (default: every core)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="build without the build cache (and leave it untouched)"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the build cache (default: .cache/explainer/ beside content)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a news explainer site from content/ into output/.",
        epilog="Commands: build (the default), new, init, check and serve. 'python build.py new --help' for more.",
    )
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    add_build_options(parser)
    return parser


def make_new_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py new", description="Write a skeleton issue card, actor, event or source to fill in."
    )
    parser.add_argument("kind", choices=sorted(SKELETONS), help="what to create")
    parser.add_argument("id", help="its id: lower-case words joined by hyphens, e.g. nato-expansion")
    parser.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder (default: content)")
    return parser


def print_diagnostics(diagnostics: list[Diagnostic], args: argparse.Namespace) -> None:
    """Errors in full; warnings as -q, --verbose or neither ask (with --strict warnings fail the build, so -q
    shows them as it shows errors)."""
    per_kind = None if args.verbose else SHOWN_PER_KIND
    for line in shown_lines(diagnostics, per_kind, warnings=not args.quiet or args.strict):
        print(line, file=sys.stderr)


def summary_line(result: BuildResult) -> str:
    kinds = result.pages
    parts = [f"{kinds[k]} {PLURAL[k] if kinds[k] != 1 else k}" for k in ("issue", "actor", "event")]
    other = sum(kinds.values()) - kinds["issue"] - kinds["actor"] - kinds["event"]
    stats = result.stats
    changes = f"{stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed" if stats else ""
    warnings = len(result.diagnostics.warnings)
    return (
        f"Built {sum(kinds.values())} pages ({', '.join(parts)}, {other} other) — files: {changes} — "
        f"{warnings} warning{'s' if warnings != 1 else ''} — {result.seconds:.2f} s"
    )


def build_options(args: argparse.Namespace) -> BuildOptions:
    """The BuildOptions that add_build_options' arguments ask for."""
    content = args.content or default_folder("content")
    cache = None if args.no_cache else args.cache_dir or Path(os.path.abspath(content)).parent / ".cache" / "explainer"
    return BuildOptions(
        content=content,
        output=args.output or default_folder("output"),
        templates=args.templates or default_folder("templates"),
        static=args.static or default_folder("static"),
        base_url=args.base_url,
        drafts=args.drafts,
        relative_urls=args.relative_urls,
        strict=args.strict,
        search=not args.no_search,
        jobs=max(1, args.jobs) if args.jobs else default_jobs(),
        cache_dir=cache,
        progress=not args.quiet,
    )


def run_build(args: argparse.Namespace) -> int:
    options = build_options(args)
    try:
        result = build(options)
    except OutputRefused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return EXIT_USAGE
    print_diagnostics(result.diagnostics.sorted(), args)
    if not result.ok:
        print(f"{failure_count(result)}; nothing was written to {options.output}", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(summary_line(result))
    return EXIT_OK


def failure_count(result: BuildResult) -> str:
    """`2 errors`, or with --strict and warnings only, `3 warnings (--strict)`."""
    errors = len(result.diagnostics.errors)
    if errors == 0 and result.strict:
        warnings = len(result.diagnostics.warnings)
        return f"{warnings} warning{'s' if warnings != 1 else ''} (--strict)"
    return f"{errors} error{'s' if errors != 1 else ''}"


def run_new(argv: list[str]) -> int:
    args = make_new_parser().parse_args(argv)
    try:
        path = create(args.content or default_folder("content"), args.kind, args.id)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    again = ["python", "build.py", *(["--content", str(args.content)] if args.content else [])]
    print(f"Wrote {path.as_posix()}: fill it in, then run {shlex.join(again)}")
    return EXIT_OK


def make_init_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py init",
        description="Start a new explainer: content/ with site.yaml, empty actors, events and sources files, "
        "and one sample issue card.",
    )
    parser.add_argument("dir", nargs="?", type=Path, default=Path(), help="where (default: the current folder)")
    return parser


def run_init(argv: list[str]) -> int:
    folder = make_init_parser().parse_args(argv).dir
    try:
        written = init(folder)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONTENT
    here = folder.resolve() == Path().resolve()
    print(f"Started a new explainer {'here' if here else 'in ' + folder.as_posix()}:")
    for path in written:
        print(f"  {path.as_posix()}")
    print(f"Replace the placeholder texts (the build warns of each one left), then run: {init_next(folder, here)}")
    return EXIT_OK


def init_next(folder: Path, here: bool) -> str:
    """The command that previews the new explainer, from the folder it is in (the tool is run from there, as it
    was now: build.py by its path, or the installed `explainer`)."""
    tool = ["explainer"]
    if Path(sys.argv[0]).name == "build.py":
        script = Path(sys.argv[0]).resolve()
        tool = ["python", min(os.path.relpath(script, folder.resolve()), str(script), key=len)]
    serve = shlex.join([*tool, "serve"])
    return serve if here else f"cd {shlex.quote(folder.as_posix())} && {serve}"


def make_check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py check",
        description="Build into a temporary folder and check every link, #fragment, asset, title and description.",
    )
    add_build_options(parser)
    parser.add_argument("--external", action="store_true", help="also fetch external links (off by default)")
    parser.add_argument(
        "--timeout", type=float, default=check.FETCH_TIMEOUT, metavar="S", help="seconds per external link (10)"
    )
    parser.add_argument(
        "--snapshot-list",
        type=Path,
        metavar="FILE",
        help="write the address of every source without an 'archived' copy to FILE, one a line",
    )
    return parser


def run_check(argv: list[str]) -> int:
    args = make_check_parser().parse_args(argv)
    options = dataclasses.replace(build_options(args), cache_dir=None)  # a temporary output: nothing to reuse
    result, report = check.run_check(
        options, external=args.external, timeout=args.timeout, snapshots=args.snapshot_list
    )
    print_diagnostics(result.diagnostics.sorted(), args)
    if report is None:
        print(f"check: {failure_count(result).replace(' error', ' content error')}", file=sys.stderr)
        return EXIT_CONTENT
    for problem in report.problems:
        print(problem, file=sys.stderr)
    for line in report.translations:
        print(line)
    external = f", {report.external} external links fetched" if args.external else ""
    problems = len(report.problems)
    line = f"check: {report.pages} pages, {report.links} internal links{external}, {problems} problem"
    print(line + ("" if problems == 1 else "s"), file=sys.stderr if problems else sys.stdout)
    return EXIT_CONTENT if problems else EXIT_OK


def make_serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py serve",
        description="Build the site with drafts, serve it, and rebuild and reload the browser on every save.",
    )
    add_build_options(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--open", action="store_true", help="open the site in the web browser")
    return parser


def run_serve(argv: list[str]) -> int:
    from .serve.loop import serve  # tornado is imported only for serve

    args = make_serve_parser().parse_args(argv)
    own_output = args.output is None  # a temporary folder: drafts never land in output/
    if own_output:
        args.output = Path(tempfile.mkdtemp(prefix="explainer-serve-"))
    return serve(build_options(args), args.host, args.port, args.open, args.quiet, own_output, args.verbose)


def report_bug() -> int:
    """An exception we did not expect is our bug, not the user's mistake: say so, with the traceback."""
    print(
        f"internal error in explainer {__version__}: this is a bug in the generator, not in your files; "
        "please report it with the traceback below",
        file=sys.stderr,
    )
    traceback.print_exc(file=sys.stderr)
    return EXIT_BUG


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit 0 (built), 1 (content errors), 2 (usage) or 3 (a bug in explainer)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return run_command(argv)
    except KeyboardInterrupt:
        pass
    except Exception:
        return report_bug()
    stop_pools()  # run() exits without the interpreter's teardown, which would stop them
    print("interrupted", file=sys.stderr)
    return 130


def run() -> NoReturn:
    """build.py and the `explainer` command: main(), then exit at once, as mypy does (util.hard_exit). A build
    ends with its records (~280,000 objects at 5,000 cards) left for the garbage collector, which the
    interpreter's teardown would walk for nothing (0.2 s of a 2-second build): everything is written and
    every child process joined by then, so only the output streams need flushing."""
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said
            stream.flush()
    os._exit(status)


def run_command(argv: list[str]) -> int:
    if argv and argv[0] == "new":
        return run_new(argv[1:])
    if argv and argv[0] == "init":
        return run_init(argv[1:])
    if argv and argv[0] == "serve":
        return run_serve(argv[1:])
    if argv and argv[0] == "check":
        return run_check(argv[1:])
    if argv and argv[0] == "build":
        argv = argv[1:]
    return run_build(make_parser().parse_args(argv))
