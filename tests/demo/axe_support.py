"""axe-core in a Playwright page: the accessibility check of the browser tests.

The script is the one axe-playwright-python ships (a test dependency; nothing is fetched). Only
the WCAG 2.0, 2.1 and 2.2 A and AA rules run, the standard the board's pages must meet; each
violation comes back as "rule: where" lines, so a failure says what to fix. A shared helper of
the accessibility work may replace this one: `violations(page)` is all a test calls.
"""

from __future__ import annotations

from importlib.resources import files

from playwright.async_api import Frame, Page

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_script() -> str:
    """axe-core's script, as the package ships it."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


async def violations(page: Page | Frame) -> list[str]:
    """What axe-core finds against WCAG 2.2 AA in the page (or frame), one line a node."""
    await page.evaluate(axe_script())
    found = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' '))))",
        WCAG_AA,
    )
    return [str(line) for line in found]
