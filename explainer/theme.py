"""The default theme under a site's own templates/ and static/, file by file (Hugo's lookup order).

A site's own `templates/X` is used instead of the default theme's `X`, its own `static/Y` instead of (or
beside) the default's; whatever the site lacks comes from the default theme. A newsroom changes its header
and colours without copying the rest.
"""

from __future__ import annotations

from pathlib import Path

from .write import collect_static

PACKAGE = Path(__file__).resolve().parent
# An installed package carries the theme as explainer/_theme/ (setup.py maps the repository's templates/ and
# static/ there); a checkout, or an editable install, uses the repository's own folders where they are.
DEFAULT_THEME = PACKAGE / "_theme" if (PACKAGE / "_theme").is_dir() else PACKAGE.parent


def default_folder(name: str) -> Path:
    """The default theme's `templates` or `static` folder."""
    return DEFAULT_THEME / name


def folders(own: Path, name: str) -> tuple[Path, ...]:
    """Where to look for a theme file, first match wins: the site's own folder (if it has one), then the
    default theme's."""
    default = default_folder(name)
    if own.is_dir() and own.resolve() != default.resolve():
        return (own, default)
    return (default,)


def template_folders(own: Path) -> tuple[Path, ...]:
    """The template search path for a site whose own templates are (or would be) in `own`."""
    return folders(own, "templates")


def static_folders(own: Path) -> tuple[Path, ...]:
    """The static folders for a site whose own static files are (or would be) in `own`, the site's first."""
    return folders(own, "static")


def watched_folders(templates: Path, static: Path) -> list[Path]:
    """The theme folders a preview watches: the site's own even before they exist (one made while serving
    is then seen), and the default theme's."""
    found = [templates, static, default_folder("templates"), default_folder("static")]
    return [folder for i, folder in enumerate(found) if folder.resolve() not in {f.resolve() for f in found[:i]}]


def static_files(own: Path) -> dict[str, bytes]:
    """Every static file by its output path (`static/style.css`): the default theme's, then the site's own
    over them."""
    merged: dict[str, bytes] = {}
    for folder in reversed(static_folders(own)):
        merged.update(collect_static(folder))
    return dict(sorted(merged.items()))
