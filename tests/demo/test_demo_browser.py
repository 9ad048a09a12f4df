"""The demo page in headless Chromium, driven by clicks like a visitor: register with the
invite, answer the whole check in the practitioner's column, submit, see the board notice
in the group's column, approve in the chair's column, see the decision reach the
practitioner. Saves the screenshot the README shows (docs/demo.png)."""

from __future__ import annotations

import json
from pathlib import Path

from demo_cdp import Chromium, Page
from demo_helpers import CHECK_PATH, DESCRIPTION

from demo import Demo

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "demo.png"
WIDTH, HEIGHT = 1440, 900


def _in(seat: str, selector: str) -> str:
    return f"document.querySelectorAll({json.dumps(f'.chat[data-seat={seat}] {selector}')})"


def _button(seat: str, label: str) -> str:
    """JS: the newest keyboard button labelled `label` in the seat's column."""
    return (
        f"[...{_in(seat, '.keyboard:not(.pending) button')}]"
        f".filter(b => b.textContent.trim() === {json.dumps(label)}).pop() || null"
    )


def _newest_bot_text(seat: str) -> str:
    return f"([...{_in(seat, '.msg.bot .body')}].pop() || {{textContent: ''}}).textContent"


async def _press(page: Page, seat: str, label: str) -> None:
    await page.click(_button(seat, label), f"button {label!r} in the {seat} column")


async def _newest_says(page: Page, seat: str, phrase: str) -> None:
    await page.wait_for(
        f"{_newest_bot_text(seat)}.toLowerCase().includes({json.dumps(phrase.lower())})",
        f"{phrase!r} in the newest bot message of the {seat} column",
    )


async def _any_says(page: Page, seat: str, phrase: str) -> str:
    found: str = await page.wait_for(
        f"[...{_in(seat, '.msg.bot .body')}].map(b => b.textContent)"
        f".find(t => t.includes({json.dumps(phrase)})) || null",
        f"{phrase!r} in the {seat} column",
    )
    return found


async def _type(page: Page, seat: str, text: str) -> None:
    await page.click(f"{_in(seat, 'textarea')}[0]", f"the {seat} message box")
    await page.type_text(text)
    await page.click(f"{_in(seat, '.composer .send')}[0]", f"Send in the {seat} column")


async def test_a_referral_by_clicking_in_the_page(
    demo: Demo, chromium: str, tmp_path: Path
) -> None:
    browser = await Chromium.launch(chromium, tmp_path / "profile", WIDTH, HEIGHT)
    page = await browser.page()
    try:
        await page.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        await page.navigate(demo.url)
        await page.wait_for("document.body?.dataset.ready === 'true'", "the page to load")
        code = await page.evaluate("document.getElementById('invite-code').textContent")
        assert code == demo.invite_code

        await page.click("document.getElementById('register')", "Register with invite")
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
        await page.wait_for(
            f"[...{_in('chair', '.toast')}].some(t => t.textContent.includes('Approved'))",
            "the chair's toast",
        )
        decided_buttons = await page.evaluate(
            f"[...{_in('chair', '.msg.bot')}].pop().querySelectorAll('.keyboard button').length"
        )
        assert decided_buttons == 0
        bold = await page.evaluate(f"{_in('chair', '.msg.bot .body b')}.length")
        assert bold > 0  # the bot's HTML formatting is rendered, not shown as tags
        await page.evaluate("new Promise(r => setTimeout(r, 250))")  # let the last bubble settle
        await page.screenshot(SCREENSHOT)
        assert SCREENSHOT.stat().st_size > 20_000

        await _type(page, "board", "/help")
        await page.wait_for(
            f"(() => {{ const m = [...{_in('board', '.msg')}];"
            " const mine = m.findIndex(e => e.classList.contains('user'));"
            " return mine >= 0 && m.slice(mine + 1).some(e => e.classList.contains('bot')); })()",
            "the bot's answer to the officer's /help",
        )
        lefts = await page.evaluate(
            "[...document.querySelectorAll('.chat')].map(c => c.getBoundingClientRect().left)"
        )
        assert len(set(lefts)) == 3  # side by side on a wide screen
        await page.send(
            "Emulation.setDeviceMetricsOverride",
            width=390,
            height=844,
            deviceScaleFactor=1,
            mobile=True,
        )
        stacked = await page.wait_for(
            "(() => { const r = [...document.querySelectorAll('.chat')]"
            ".map(c => c.getBoundingClientRect());"
            " return new Set(r.map(b => b.left)).size === 1 && r[0].bottom <= r[1].top"
            " ? r.length : 0; })()",
            "the chats to stack on a narrow screen",
        )
        assert stacked == 3
        assert not [line for line in page.console if line.startswith("exception")], page.console
    finally:
        await page.close()
        await browser.close()
