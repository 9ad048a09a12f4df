"""The demo page is usable with a keyboard and a screen reader, at any width, light or dark:
axe-core (WCAG 2.2 AA) finds nothing on it in the middle of a check and after a decision, at a
desktop's width, 390 px and 320 px (no sideways scrolling), in both colour schemes; the check is
answered with the keyboard alone, and focus stays on the pressed control or moves to the new
question when the bot redraws the message; each chat is its own live region; the clock is the
bot's (24-hour UTC) and an edited message shows when it was edited; no request 404s (the
favicon included); and in the middle of the scripted scene's review (the agency review being
answered, the overview's documents sent). Skipped without the system's Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from a11y import assert_accessible_everywhere, chromium_page
from demo_helpers import CHECK_PATH, DESCRIPTION, PageClient
from playwright.async_api import Locator, Page, Response, expect

from demo import Demo

WAIT_MS = 10_000
SCENE_MS = 180_000  # the whole scripted scene, the group's rate limit setting its pace


@pytest.fixture
async def visitor(chromium: str, demo: Demo) -> AsyncIterator[tuple[Page, list[str]]]:
    """The demo page in Chromium, ready, and every URL of it that answered 4xx/5xx."""
    async with chromium_page(chromium) as page:
        page.set_default_timeout(WAIT_MS)
        failed: list[str] = []

        def check(response: Response) -> None:
            if response.status >= 400:
                failed.append(f"{response.status} {response.url}")

        page.on("response", check)
        await page.goto(demo.url)
        await expect(page.locator("body")).to_have_attribute("data-ready", "true")
        yield page, failed


def _column(page: Page, seat: str) -> Locator:
    return page.locator(f'.chat[data-seat="{seat}"]')


def _newest_bot(page: Page, seat: str) -> Locator:
    return _column(page, seat).locator(".msg.bot").last


async def _layout_settled(page: Page) -> None:
    await page.wait_for_timeout(50)


async def _focused(page: Page) -> dict[str, str]:
    described: dict[str, str] = await page.evaluate(
        "() => { const a = document.activeElement;"
        " return {tag: a.tagName, text: (a.textContent || '').trim().slice(0, 400),"
        " seat: a.closest('.chat')?.dataset.seat || ''}; }"
    )
    return described


async def _press_by_keyboard(page: Page, seat: str, label: str) -> None:
    """Tab-free: focus the newest button labelled `label` as Tab would reach it, press Enter."""
    keyboards = _column(page, seat).locator(".keyboard:not(.pending)")
    button = keyboards.get_by_role("button", name=label, exact=True).last
    await button.focus()
    await page.keyboard.press("Enter")


async def test_the_page_in_the_middle_of_a_check_passes_axe_everywhere(
    visitor: tuple[Page, list[str]],
) -> None:
    page, failed = visitor
    await assert_accessible_everywhere(page, where="the demo page, empty", settle=_layout_settled)

    await page.get_by_role("button", name="Register with invite", exact=True).click()
    await expect(_newest_bot(page, "practitioner")).to_contain_text("no names")
    for label, phrase in CHECK_PATH[:3]:
        await _press_by_keyboard(page, "practitioner", label)
        await expect(_newest_bot(page, "practitioner")).to_contain_text(phrase, ignore_case=True)
    await expect(_newest_bot(page, "practitioner")).to_contain_text("abuse or neglect")
    await assert_accessible_everywhere(
        page, where="the demo page mid-check", settle=_layout_settled
    )
    assert not failed, failed  # the favicon and every file the page asks for is there


async def test_a_check_by_keyboard_keeps_focus_where_the_visitor_is(
    visitor: tuple[Page, list[str]],
) -> None:
    page, _ = visitor
    skip = page.get_by_role("link", name="Skip to the chats")
    await page.keyboard.press("Tab")
    await expect(skip).to_be_focused()
    await page.keyboard.press("Enter")
    assert (await _focused(page))["tag"] == "MAIN"

    await page.get_by_role("button", name="Register with invite", exact=True).click()
    await expect(_newest_bot(page, "practitioner")).to_contain_text("no names")
    await _press_by_keyboard(page, "practitioner", "I understand")
    await expect(_newest_bot(page, "practitioner")).to_contain_text("immediate risk")
    # The pressed message was redrawn without its buttons: focus went to the new question.
    focus = await _focused(page)
    assert focus["seat"] == "practitioner" and "immediate risk" in focus["text"], focus
    # From there, Tab reaches the question's first button.
    await page.keyboard.press("Tab")
    focus = await _focused(page)
    assert focus["tag"] == "BUTTON" and focus["seat"] == "practitioner", focus

    for label, phrase in CHECK_PATH[1:-2]:
        await _press_by_keyboard(page, "practitioner", label)
        await expect(_newest_bot(page, "practitioner")).to_contain_text(phrase, ignore_case=True)
    # A toggle question: pressing an agency redraws the same message with a mark on it, and
    # focus stays on the button pressed.
    await _press_by_keyboard(page, "practitioner", "Health")
    await expect(_newest_bot(page, "practitioner")).to_contain_text("Chosen: Health")
    focus = await _focused(page)
    assert focus["tag"] == "BUTTON" and "Health" in focus["text"], focus


async def test_each_chat_is_its_own_live_region_and_the_clock_is_the_bots(
    visitor: tuple[Page, list[str]],
) -> None:
    page, _ = visitor
    logs = await page.locator(".chat").evaluate_all(
        "cs => cs.map(c => c.querySelectorAll('[role=log]').length)"
    )
    assert logs and set(logs) == {1}  # each chat's messages, announced as they come
    spans = await page.evaluate(
        "() => [...document.querySelectorAll('[aria-live], [role=log], [role=status],"
        " [role=alert]')].map(e => e.querySelectorAll('.chat').length)"
    )
    assert max(spans) == 0  # no live region around the chats: each speaks for its own
    await page.get_by_role("button", name="Register with invite", exact=True).click()
    await expect(_newest_bot(page, "practitioner")).to_contain_text("no names")
    await _press_by_keyboard(page, "practitioner", "I understand")
    await expect(_newest_bot(page, "practitioner")).to_contain_text("immediate risk")
    stamps = await _column(page, "practitioner").locator(".meta").all_text_contents()
    assert stamps and all(s.endswith("UTC") for s in stamps), stamps
    edited = [s for s in stamps if s.startswith("edited")]
    assert edited, stamps  # the first question, answered, was edited in place
    times = (
        await _column(page, "practitioner")
        .locator(".meta time")
        .evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    )
    assert all(t.endswith("Z") for t in times), times


async def test_toasts_cover_no_message_and_the_page_passes_after_a_decision(
    visitor: tuple[Page, list[str]], page: PageClient
) -> None:
    browser, _ = visitor
    client = page  # the practitioner's check, filed over the page's API (quicker than clicks)
    await client.send("practitioner", f"/start {client.state['invite']['code']}")
    await client.wait_for("practitioner", "no names")
    for label, phrase in CHECK_PATH:
        await client.press("practitioner", label)
        await client.wait_newest("practitioner", phrase)
    await client.send("practitioner", DESCRIPTION)
    await client.wait_newest("practitioner", "case reference")
    await client.press("practitioner", "Skip")
    await client.wait_newest("practitioner", "submit")
    await client.press("practitioner", "Submit to the board")
    await client.wait_for("chair", "Decision needed")

    approve = _column(browser, "chair").get_by_role("button", name="Approve", exact=True).last
    await approve.focus()
    await browser.keyboard.press("Enter")
    toast = _column(browser, "chair").locator(".toast").filter(has_text="Approved").first
    await expect(toast).to_be_visible()
    box = await toast.bounding_box()
    messages = await _column(browser, "chair").locator(".messages").bounding_box()
    assert box is not None and messages is not None
    assert box["y"] >= messages["y"] + messages["height"] - 1  # below the messages, not on them
    await assert_accessible_everywhere(browser, where="the demo page after a decision")


async def test_the_page_in_the_middle_of_the_review_passes_axe_everywhere(
    chromium: str, tmp_path: Path
) -> None:
    """The scene played from its button: axe finds nothing while the police's lead is answering
    the agency review (its request and the Terms of Reference document in the lead's column), nor
    once the draft overview report's documents are in the group's."""
    async with (
        Demo(temp_parent=tmp_path, scene_pace=0.0) as demo,
        chromium_page(chromium) as page,
    ):
        page.set_default_timeout(WAIT_MS)
        await page.goto(demo.url)
        await expect(page.locator("body")).to_have_attribute("data-ready", "true")
        await page.get_by_role("button", name="Play “A review’s learning”", exact=True).click()
        lead = _column(page, "lead").locator(".msg.bot")
        started = lead.filter(has_text="You hold the agency review of Police").first
        await expect(started).to_be_attached(timeout=SCENE_MS)
        await assert_accessible_everywhere(
            page, where="the demo page, mid agency review", settle=_layout_settled
        )
        caption = page.locator("#scene-caption")
        await expect(caption).to_contain_text("End of the scene", timeout=SCENE_MS)
        links = _column(page, "board").get_by_role("link").filter(has_text="Overview-")
        await expect(links).to_have_count(2, timeout=SCENE_MS)
        await assert_accessible_everywhere(
            page, where="the demo page, the overview sent", settle=_layout_settled
        )
