"""The accessibility helper (`tests/a11y.py`) itself: axe-core finds a known failure and passes
a page without one, sideways scrolling at 320 px is caught, and the Nu HTML checker reports a
stray end tag. Skipped without Chromium (or java, for the checker)."""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y import (
    INSTALL_HINT,
    assert_accessible,
    assert_accessible_everywhere,
    axe_violations,
    chromium_page,
    nu_errors,
    system_chromium,
    system_java,
)

GOOD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A page</title></head>
<body><main><h1>A page</h1><p>Some words.</p></main></body></html>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = system_chromium()
    if found is None:
        pytest.skip(f"needs Chromium on the PATH: {INSTALL_HINT}")
    return found


async def test_axe_finds_a_missing_alt_and_passes_a_plain_page(chromium: str) -> None:
    async with chromium_page(chromium) as page:
        await page.set_content(GOOD.replace("<p>", '<p><img src="data:,">'))
        found = {v["id"] for v in await axe_violations(page)}
        assert found == {"image-alt"}
        await page.set_content(GOOD)
        await assert_accessible_everywhere(page, where="the plain page")


async def test_a_page_wider_than_320_px_fails(chromium: str) -> None:
    async with chromium_page(chromium, width=320, height=640) as page:
        await page.set_content(GOOD.replace("<p>", '<p style="width: 400px">'))
        # 400 px, and the body's default 8 px margin each side, in 320 px
        with pytest.raises(AssertionError, match="scrolls sideways by 88px"):
            await assert_accessible(page)


def test_the_nu_checker_reports_errors_not_warnings(tmp_path: Path) -> None:
    if system_java() is None:
        pytest.skip("the Nu HTML checker needs java: apt-get install default-jre-headless")
    good, bad = tmp_path / "good.html", tmp_path / "bad.html"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD.replace("<p>Some words.</p>", "<p>Some words.</p></p>"), "utf-8")
    errors = nu_errors([good, bad])
    assert len(errors) == 1 and errors[0].startswith("bad.html:"), errors
