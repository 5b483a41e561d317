"""Headless Chromium driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port, no websocket, no extra package), the
way Playwright and Puppeteer drive it: real key presses and mouse clicks,
downloads saved to a folder, every network request and console message seen.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Records CSP violations from the first line of every page (DevTools' own
# script: not subject to the page's policy).
_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

KEYS = {  # key -> (code, windowsVirtualKeyCode)
    "Enter": ("Enter", 13),
    "Escape": ("Escape", 27),
}


class Chromium:
    """One browser with one page; ``close()`` ends it."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.downloads = folder / "downloads"
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()

        def pipes_on_3_and_4():
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.log_path = folder / "chromium.log"
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--disable-default-apps",
                    "--mute-audio",
                    f"--user-data-dir={folder / 'profile'}",
                    "--remote-debugging-pipe",
                    "--enable-logging=stderr",
                    "--v=0",
                    "about:blank",
                ],
                preexec_fn=pipes_on_3_and_4,
                close_fds=False,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.attached: str | None = None
        self.call(
            "Browser.setDownloadBehavior",
            {
                "behavior": "allowAndName",
                "downloadPath": str(self.downloads),
                "eventsEnabled": True,
            },
            browser=True,
        )
        self.new_tab()

    # ---- the protocol ---------------------------------------------------
    def _send(self, method: str, params: dict | None, browser: bool) -> int:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if not browser and self.attached:
            msg["sessionId"] = self.attached
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        return self._id

    def _next(self, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            ready, _, _ = select.select([self._r], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise EOFError(f"Chromium closed the pipe; see {self.log_path}")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method: str, params: dict | None = None, browser: bool = False, timeout=30):
        want = self._send(method, params, browser)
        while True:
            msg = self._next(timeout)
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait(self, method: str, where=lambda p: True, timeout: float = 30, after: int = 0) -> dict:
        """The first event ``method`` (from index ``after`` of the events) that ``where`` accepts."""
        end = time.monotonic() + timeout
        seen = after
        while True:
            for m in self.events[seen:]:
                if m["method"] == method and where(m.get("params", {})):
                    return m["params"]
            seen = len(self.events)
            msg = self._next(max(0.01, end - time.monotonic()))
            if "method" in msg:
                self.events.append(msg)

    # ---- a page ---------------------------------------------------------
    def new_tab(self) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)
        self.target = target["targetId"]
        attached = self.call(
            "Target.attachToTarget", {"targetId": self.target, "flatten": True}, browser=True
        )
        self.attached = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", {"source": _WATCH})
        self.call("Emulation.setFocusEmulationEnabled", {"enabled": True})

    def close_tab(self) -> None:
        self.call("Target.closeTarget", {"targetId": self.target}, browser=True)
        self.attached = None

    def open(self, url: str) -> None:
        mark = len(self.events)
        self.call("Page.navigate", {"url": url})
        self.wait("Page.loadEventFired", after=mark)

    def js(self, expression: str):
        """The value of a JavaScript expression in the page (awaited)."""
        r = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first element ``selector`` finds."""
        x, y = self.js(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); var r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def key(self, key: str, modifiers: int = 0, commands: list[str] | None = None) -> None:
        """A key press (1 Alt, 2 Ctrl, 4 Meta, 8 Shift), as the keyboard sends it."""
        if key in KEYS:
            code, vk = KEYS[key]
            text = "\r" if key == "Enter" else ""
        else:
            code, vk = f"Key{key.upper()}", ord(key.upper())
            text = key if not modifiers else ""
        down = {
            "type": "keyDown" if text else "rawKeyDown",
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": vk,
            "modifiers": modifiers,
        }
        if text:
            down["text"] = text
        if commands:
            down["commands"] = commands
        self.call("Input.dispatchKeyEvent", down)
        self.call(
            "Input.dispatchKeyEvent",
            {
                "type": "keyUp",
                "key": key,
                "code": code,
                "windowsVirtualKeyCode": vk,
                "modifiers": modifiers,
            },
        )

    def type(self, text: str) -> None:
        self.call("Input.insertText", {"text": text})

    def download(self, selector: str, timeout: float = 30) -> tuple[str, bytes]:
        """Click ``selector`` and return the file it downloads: (name, bytes)."""
        mark = len(self.events)
        self.click(selector)
        began = self.wait("Browser.downloadWillBegin", after=mark, timeout=timeout)
        done = self.wait(
            "Browser.downloadProgress",
            lambda p: p["guid"] == began["guid"] and p["state"] in ("completed", "canceled"),
            after=mark,
            timeout=timeout,
        )
        assert done["state"] == "completed", done
        return began["suggestedFilename"], (self.downloads / began["guid"]).read_bytes()

    # ---- what happened --------------------------------------------------
    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]

    def problems(self) -> list[str]:
        """Exceptions, console errors and warnings, and CSP violations."""
        found = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                found.append(json.dumps(p["exceptionDetails"])[:500])
            elif e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning"):
                found.append(json.dumps(p["args"])[:500])
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                found.append(p["entry"]["text"][:500])
        found += self.js("window.__violations || []") or []
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close", browser=True, timeout=10)
        except (OSError, EOFError, TimeoutError, RuntimeError):
            pass
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
