"""Headless Chromium driven over the DevTools protocol (websocket-client), and a folder served over HTTP.

The same mechanism as test_serve's reload test: Debian's /usr/bin/chromium with
an empty profile and `--remote-debugging-port=0`, one page target, commands
sent as JSON. No browser-automation library is needed for a few key presses.
"""

from __future__ import annotations

import functools
import http.client
import http.server
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import websocket

WAIT = 20.0
HAVE_CHROMIUM = shutil.which("chromium") is not None
KEYS = {"Tab": 9, "Escape": 27, "Enter": 13}


class Page:
    """One browser tab: navigate, size the viewport, press keys, evaluate JavaScript."""

    def __init__(self, ws: websocket.WebSocket):
        self.ws = ws
        self.counter = 0

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command; its result (an error reply raises)."""
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.counter:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited if it is a promise); a thrown error raises."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str) -> bool:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.05)
        return False

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def open(self, url: str) -> None:
        """Load url and wait until it and its scripts have run."""
        self.evaluate("window.__loaded = false")
        self.send("Page.navigate", url=url)
        assert self.wait_for("document.readyState === 'complete' && window.__loaded !== false"), url

    def press(self, key: str, shift: bool = False) -> None:
        """A key pressed and released, as a user's keyboard sends it (Shift+key with shift)."""
        code = KEYS[key]
        text = {"text": "\r"} if key == "Enter" else {}  # Enter's character is what activates a <summary>
        for kind in ("keyDown" if text else "rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
                nativeVirtualKeyCode=code,
                modifiers=8 if shift else 0,
                **(text if kind == "keyDown" else {}),
            )

    def hover(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)


@contextmanager
def chromium(profile: Path) -> Iterator[Page]:
    """A headless Chromium with an empty profile in `profile`, and its one tab."""
    browser = subprocess.Popen(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + WAIT
        while not (active.exists() and active.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        port = int(active.read_text().split()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        connection.request("GET", "/json/list")
        target = next(t for t in json.loads(connection.getresponse().read()) if t["type"] == "page")
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=WAIT, suppress_origin=True)
        try:
            page = Page(ws)
            # a headless tab is not focused: without this, element.focus() fires no focus events
            page.send("Emulation.setFocusEmulationEnabled", enabled=True)
            yield page
        finally:
            ws.close()
    finally:
        browser.terminate()
        browser.wait(timeout=WAIT)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """folder served on 127.0.0.1 for as long as the block runs; its root URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
