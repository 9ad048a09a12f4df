"""The demo page in headless Chromium (driven with Playwright), clicked like a visitor would:
register with the invite, answer the whole check in the practitioner's column by pressing
buttons by their text, type a description, skip the reference, submit, see the board notice
in the group's column, approve in the chair's column, see the decision reach the
practitioner; and the scripted scene "A review's learning" played from its button.

The screenshot goes to the test's temporary folder; `make screenshot` sets DEMO_SCREENSHOT
to copy it over the one the README shows (docs/demo.png), so a plain test run changes no
tracked file.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from demo_helpers import CHECK_PATH, DESCRIPTION
from playwright.async_api import Locator, Page, async_playwright, expect

from demo import Demo

WIDTH, HEIGHT = 1440, 900
WAIT_MS = 10_000  # for each step; the bot answers in well under a second when the host is idle
SCENE_MS = 120_000  # a whole scripted scene: the group's rate limit (20 a minute) sets its pace
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def browser_page(chromium: str) -> AsyncIterator[tuple[Page, list[str]]]:
    """A wide page in the system's headless Chromium, and the page's uncaught errors."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            context = await browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1
            )
            page = await context.new_page()
            page.set_default_timeout(WAIT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page, errors
        finally:
            await browser.close()


def _column(page: Page, seat: str) -> Locator:
    return page.locator(f'.chat[data-seat="{seat}"]')


def _bot_bodies(page: Page, seat: str) -> Locator:
    return _column(page, seat).locator(".msg.bot .body")


async def _press(page: Page, seat: str, label: str) -> None:
    """Click the newest button labelled exactly `label` in the seat's column (once it can be
    clicked: visible, enabled, not covered, and its keyboard not waiting on a press)."""
    keyboards = _column(page, seat).locator(".keyboard:not(.pending)")
    await keyboards.get_by_role("button", name=label, exact=True).last.click()


async def _newest_says(page: Page, seat: str, phrase: str) -> None:
    newest = _bot_bodies(page, seat).last
    await expect(newest).to_contain_text(phrase, ignore_case=True, timeout=WAIT_MS)


async def _any_says(page: Page, seat: str, phrase: str) -> str:
    found = _bot_bodies(page, seat).filter(has_text=re.compile(re.escape(phrase))).first
    await expect(found).to_be_attached(timeout=WAIT_MS)
    return await found.text_content() or ""


async def _type(page: Page, seat: str, text: str) -> None:
    column = _column(page, seat)
    await column.locator("textarea").fill(text)
    await column.locator(".composer .send").click()


def _png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header; fails on anything that is not a PNG."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", head
    width, height = struct.unpack(">II", head[16:24])
    return width, height


async def test_a_referral_by_clicking_in_the_page(
    demo: Demo, browser_page: tuple[Page, list[str]], tmp_path: Path
) -> None:
    page, errors = browser_page
    await page.goto(demo.url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=WAIT_MS)
    assert await page.locator("#invite-code").text_content() == demo.invite_code

    await page.get_by_role("button", name="Register with invite", exact=True).click()
    await _any_says(page, "practitioner", "registered for Health")
    await _newest_says(page, "practitioner", "no names")
    for label, phrase in CHECK_PATH:
        await _press(page, "practitioner", label)
        await _newest_says(page, "practitioner", phrase)
    await _type(page, "practitioner", DESCRIPTION)
    await _newest_says(page, "practitioner", "case reference")
    await _press(page, "practitioner", "Skip")
    await _newest_says(page, "practitioner", "submit")
    await _press(page, "practitioner", "Submit to the board")
    receipt = await _any_says(page, "practitioner", "received")
    ref = receipt.split("Referral ", 1)[1].split(" ", 1)[0]
    assert ref.startswith("LIR-")

    notice = await _any_says(page, "board", f"New referral {ref}")
    assert "Catastrophic" in notice
    card = await _any_says(page, "chair", f"Decision needed: {ref}")
    assert "[REDACTED]" in card and "07700 900123" not in card
    await _press(page, "chair", "Approve")
    decision = await _any_says(page, "practitioner", f"{ref}: Review approved")
    assert "The board will plan the review" in decision
    await _any_says(page, "board", f"{ref}: Review approved")
    toast = _column(page, "chair").locator(".toast").filter(has_text="Approved").first
    await expect(toast).to_be_attached(timeout=WAIT_MS)
    decided = _column(page, "chair").locator(".msg.bot").last
    await expect(decided.locator(".keyboard button")).to_have_count(0, timeout=WAIT_MS)
    # The bot's HTML formatting is rendered, not shown as tags.
    assert await _column(page, "chair").locator(".msg.bot .body b").count() > 0

    shot = tmp_path / "demo.png"
    await page.screenshot(path=shot, animations="disabled")  # new bubbles' fade-in finished
    assert _png_size(shot) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 20_000  # three columns of chat, not a blank page
    if wanted := os.environ.get("DEMO_SCREENSHOT"):
        Path(wanted).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, wanted)

    await _type(page, "board", "/help")
    answer = _column(page, "board").locator(".msg.user ~ .msg.bot").first
    await expect(answer).to_be_attached(timeout=WAIT_MS)  # the bot's answer to the officer
    lefts = await page.locator(".chat").evaluate_all(
        "chats => chats.map(c => c.getBoundingClientRect().left)"
    )
    assert len(set(lefts)) == 4  # side by side on a wide screen

    await page.set_viewport_size({"width": 390, "height": 844})
    stacked = await page.wait_for_function(
        "() => { const r = [...document.querySelectorAll('.chat')]"
        ".map(c => c.getBoundingClientRect());"
        " return new Set(r.map(b => b.left)).size === 1 && r[0].bottom <= r[1].top"
        " ? r.length : 0; }",
        timeout=WAIT_MS,
    )
    assert await stacked.json_value() == 4  # one above the other on a phone
    scene = page.locator("#scene")
    await expect(scene).to_be_visible()
    box = await scene.bounding_box()
    assert box is not None and box["width"] <= 390  # the scene's button fits a phone's width
    assert not errors, errors


async def test_the_learning_scene_plays_from_its_button(
    browser_page: tuple[Page, list[str]], tmp_path: Path
) -> None:
    page, errors = browser_page
    async with Demo(temp_parent=tmp_path, scene_pace=0.0) as demo:
        await page.goto(demo.url)
        await expect(page.locator("body")).to_have_attribute("data-ready", "true")
        play = page.get_by_role("button", name="Play “A review’s learning”", exact=True)
        await play.click()
        caption = page.locator("#scene-caption")
        await expect(caption).to_contain_text("1/9")
        await expect(play).to_be_disabled()
        # The scene is played through the bot to its end over the page's API in
        # test_demo_scene.py; here the page shows it going: Pat's check opens in her column.
        first = _bot_bodies(page, "practitioner").filter(has_text="immediate risk").first
        await expect(first).to_be_attached(timeout=SCENE_MS)
    assert not errors, errors
