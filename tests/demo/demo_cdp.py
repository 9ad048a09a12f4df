"""A small Chrome DevTools Protocol client over aiohttp's websocket, for the browser test.

`Chromium.launch()` starts Debian's headless Chromium with a fresh profile and the flags
this machine needs (no network chatter, no sandbox as root), reads the DevTools address it
prints, and `Chromium.page()` attaches to its tab. `Page` navigates, evaluates JavaScript,
waits for conditions, clicks with real mouse events at an element's centre (so a covered or
hidden element cannot be clicked), types with `Input.insertText`, and takes screenshots.
`ensure_chromium()` installs Debian's `chromium` package when it is missing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-port=0",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


def _find() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def ensure_chromium() -> str:
    """The path of Chromium, installing Debian's package (as root) if it is missing."""
    found = _find()
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.fail(
            "The browser test needs Debian's Chromium and cannot install it here "
            f"({'not root' if apt else 'no apt-get'}). Install it with: "
            "sudo apt-get install -y chromium",
            pytrace=False,
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "chromium"]
    result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:  # a stale package list: refresh it and try once more
        subprocess.run([apt, "update", "-q"], env=env, capture_output=True, timeout=600)
        result = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    found = _find()
    if result.returncode != 0 or found is None:
        pytest.fail(
            "Installing Debian's chromium package failed:\n" + result.stderr[-2000:],
            pytrace=False,
        )
    return found


class CdpError(RuntimeError):
    """The browser answered a command with an error."""


class Page:
    """One tab, driven over its DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session: aiohttp.ClientSession):
        self._ws = ws
        self._session = session
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.console: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self._ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
            elif data.get("method") == "Runtime.exceptionThrown":
                details = data["params"]["exceptionDetails"]
                self.console.append(f"exception: {details.get('exception', details)}")
            elif data.get("method") == "Runtime.consoleAPICalled":
                args = data["params"].get("args", [])
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in args)
                self.console.append(f"{data['params'].get('type')}: {text}")
        for future in self._pending.values():
            future.set_exception(CdpError("the browser closed the connection"))

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result."""
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        await self._ws.send_str(
            json.dumps({"id": self._next_id, "method": method, "params": params})
        )
        answer = await asyncio.wait_for(future, 20)
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, what: str, timeout: float = 8.0) -> Any:
        """Re-evaluate `expression` until it is truthy; return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if loop.time() > deadline:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
            await asyncio.sleep(0.05)

    async def navigate(self, url: str) -> None:
        """Open `url`."""
        await self.send("Page.navigate", url=url)

    async def click(self, element: str, what: str, timeout: float = 8.0) -> None:
        """Click the element a JS expression finds, with the mouse, once it is clickable."""
        point = await self.wait_for(
            f"""(() => {{
                const e = ({element});
                if (!e || e.disabled) return null;
                e.scrollIntoView({{block: "center"}});
                const r = e.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = document.elementFromPoint(x, y);
                return hit && (hit === e || e.contains(hit)) ? {{x, y}} : null;
            }})()""",
            what,
            timeout,
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=point["x"],
                y=point["y"],
                button="left",
                clickCount=1,
            )

    async def type_text(self, text: str) -> None:
        """Type into the focused element."""
        await self.send("Input.insertText", text=text)

    async def screenshot(self, path: Path) -> None:
        """Save the viewport as a PNG."""
        shot = await self.send("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    async def close(self) -> None:
        """Close the websocket."""
        await self._ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


class Chromium:
    """A headless Chromium process and its DevTools endpoint."""

    def __init__(self, process: asyncio.subprocess.Process, http: str) -> None:
        self.process = process
        self.http = http
        self.log: list[str] = []
        self._session = aiohttp.ClientSession()
        self._drain = asyncio.create_task(self._drain_stderr())

    @classmethod
    async def launch(cls, executable: str, profile: Path, width: int, height: int) -> Chromium:
        """Start Chromium with a fresh profile; returns once its DevTools endpoint is up."""
        process = await asyncio.create_subprocess_exec(
            executable,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        seen: list[str] = []
        try:
            async with asyncio.timeout(30):
                while True:
                    line = (await process.stderr.readline()).decode(errors="replace")
                    if not line:
                        raise RuntimeError("Chromium exited:\n" + "".join(seen[-20:]))
                    seen.append(line)
                    match = _LISTENING.search(line)
                    if match:
                        break
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        ws = match[1]
        http = "http://" + ws.split("://", 1)[1].split("/", 1)[0]
        return cls(process, http)

    async def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        async for line in self.process.stderr:
            self.log.append(line.decode(errors="replace"))
            del self.log[:-50]

    async def page(self) -> Page:
        """Attach to the first tab."""
        async with self._session.get(f"{self.http}/json/list") as response:
            targets = await response.json()
        target = next(t for t in targets if t.get("type") == "page")
        ws = await self._session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        page = Page(ws, self._session)
        for domain in ("Page.enable", "Runtime.enable"):
            await page.send(domain)
        return page

    async def close(self) -> None:
        """Stop the browser and wait for it."""
        await self._session.close()
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self._drain.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._drain
