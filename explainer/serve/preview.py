"""The preview's HTTP side: the output folder (and nothing outside it), the LiveReload client, the error page.

python-livereload's own file handler injects its script only before a
lower-case `</head>` in the first 64 KiB; ours injects into every HTML
response. LiveReload's websocket handshake and livereload.js are served by
python-livereload's own handlers.
"""

from __future__ import annotations

import html
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web

HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
LIVERELOAD_SCRIPT = '<script src="/livereload.js?port={port}" async></script>'
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(slots=True)
class PreviewState:
    """What the HTTP handlers serve: shared with the rebuild loop, replaced whole on each build."""

    output: Path
    base: str  # the path of base_url: `/` or `/explainer/`
    port: int
    errors: list[str] | None = None  # the diagnostics of a failed build, shown instead of every page
    stylesheets: list[bytes] = field(default_factory=list)  # the site's CSS, inlined into the error page


def inject(page: bytes, script: bytes) -> bytes:
    """Put the LiveReload script before `</head>` in any case, or at the end if there is none."""
    match = HEAD_END.search(page)
    if match is None:
        return page + script
    return page[: match.start()] + script + page[match.start() :]


def error_page(errors: list[str], stylesheets: list[bytes]) -> bytes:
    """The page shown in place of every page while the last build has errors."""
    count = sum(1 for line in errors if ": error: " in line)
    style = "".join(f"<style>{css.decode('utf-8', 'replace')}</style>" for css in stylesheets)
    lines = "\n".join(html.escape(line, quote=False) for line in errors)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Build failed: {count} error{'s' if count != 1 else ''}</title>\n{style}\n</head>\n"
        '<body class="kind-error">\n<header class="masthead"><div class="masthead-inner">Preview</div></header>\n'
        '<main id="main" class="page build-failed">\n<h1>The site did not build</h1>\n'
        f"<p>{count} error{'s' if count != 1 else ''}, as in the terminal. Fix and save: this page "
        "reloads by itself. Until then the preview keeps the last good build.</p>\n"
        f'<pre class="build-errors" style="white-space: pre-wrap">{lines}</pre>\n</main>\n</body>\n</html>\n'
    ).encode()


def not_found_page(path: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Not found</title>\n</head>\n'
        f"<body>\n<h1>Not found</h1>\n<p>There is no page at {html.escape(path)} in this build.</p>\n</body>\n</html>\n"
    ).encode()


def resolve_path(state: PreviewState, url_path: str) -> Path | str | None:
    """The file under the output folder a URL path names; a redirect target (str); or None.

    Refuses `..` and `.` segments (also percent-encoded), backslashes, NUL, absolute paths and
    anything that resolves (through symlinks) outside the output folder.
    """
    path = unquote(url_path)
    if url_path in ("/", state.base.rstrip("/")) and state.base != "/":
        return state.base
    if not path.startswith(state.base) or "\\" in path or "\x00" in path:
        return None
    rel = path[len(state.base) :]
    parts = rel.split("/")
    if rel.startswith("/") or any(part in (".", "..") or part.startswith(".") for part in parts):
        return None
    root = state.output.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        return None
    if target.is_dir():
        if rel and not rel.endswith("/"):
            return url_path + "/"
        target = target / "index.html"
    return target if target.is_file() and target.resolve().is_relative_to(root) else None


class PreviewHandler(web.RequestHandler):
    """Serves the output folder, with the LiveReload client in every HTML page."""

    state: PreviewState

    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def head(self, path: str) -> None:
        self.get(path, body=False)

    def get(self, path: str, body: bool = True) -> None:
        state = self.state
        target = resolve_path(state, self.request.path)
        if isinstance(target, str):
            self.redirect(target)
            return
        is_page = target is None or target.suffix == ".html"
        if state.errors is not None and is_page:
            self.send(500, HTML_TYPE, error_page(state.errors, state.stylesheets), body)
        elif target is None:
            self.send(404, HTML_TYPE, not_found_page(self.request.path), body)
        else:
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            kind = HTML_TYPE if kind == "text/html" else kind
            self.send(200, kind, target.read_bytes(), body)

    def send(self, status: int, kind: str, data: bytes, body: bool) -> None:
        if kind == HTML_TYPE:
            data = inject(data, LIVERELOAD_SCRIPT.format(port=self.state.port).encode())
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(data)))
        if body:
            self.write(data)
        self.finish()


def make_app(state: PreviewState) -> web.Application:
    """LiveReload's websocket and livereload.js, then the output folder."""
    handlers: list[Any] = [
        (r"/livereload", LiveReloadHandler),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"(/.*)", PreviewHandler, {"state": state}),
    ]
    return web.Application(handlers, log_function=lambda handler: None)


def broadcast(path: str, live_css: bool) -> int:
    """Send one LiveReload `reload` to every connected browser; returns how many got it.

    Sent directly, not through LiveReloadHandler.poll_tasks, whose 3 s throttle drops saves.
    """
    message = {"command": "reload", "path": path, "liveCSS": live_css, "liveImg": True}
    sent = 0
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
            sent += 1
        except Exception:  # a closed browser tab: forget it
            LiveReloadHandler.waiters.discard(waiter)
    return sent
