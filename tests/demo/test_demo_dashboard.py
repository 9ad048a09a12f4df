"""The board's dashboard in real Chromium (Playwright, the system's Chromium), served by the
demo's bot exactly as `triage-bot run` serves it: opened from the chair's Dashboard button it
shows the queue in a frame, as Telegram Web shows a Mini App; opened alone at a phone's 360 px
with init data in the address (Telegram's script unreachable) it shows the queue, light and
dark, and axe-core finds no WCAG 2.2 AA violation; forged, stale and a stranger's init data show
no referral at all, only why."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from axe_support import violations
from dashboard_support import telegram_signed
from filed import SEVERE, file
from playwright.async_api import Page, Route, async_playwright, expect

from demo import Demo
from demo.cast import OFFICER_ID

WAIT_MS = 10_000
PHONE = {"width": 360, "height": 740}
STRANGER_ID = 9009


async def _offline(route: Route) -> None:
    await route.abort()  # telegram-web-app.js cannot load: the page reads the address


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[object]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


async def _phone(browser: object, scheme: str = "light") -> Page:
    context = await browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, device_scale_factor=2, color_scheme=scheme
    )
    page: Page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    await page.route("https://telegram.org/**", _offline)
    return page


def _address(demo: Demo, init_data: str) -> str:
    assert demo.settings is not None
    return (
        f"{demo.settings.webapp_url}#tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0"
    )


def _filed(demo: Demo) -> str:
    assert demo.settings is not None
    now = dt.datetime.now(dt.UTC)
    return file(demo.settings.db_path, SEVERE, now, board_chat_id=None, chair_ids=()).ref


async def test_signed_init_data_shows_the_queue_on_a_phone_and_axe_finds_nothing(
    demo: Demo, browser: object
) -> None:
    ref = _filed(demo)
    for scheme in ("light", "dark"):
        page = await _phone(browser, scheme)
        await page.goto(_address(demo, telegram_signed(demo.api.token, OFFICER_ID, "Olu")))
        await expect(page.locator("body")).to_have_class("loaded", timeout=WAIT_MS)
        queue = page.locator("#queue")
        await expect(queue.get_by_role("heading", name=ref)).to_be_visible()
        await expect(queue).to_contain_text("Time to decision")
        await expect(page.locator("#chart table")).to_contain_text("Total")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]  # nothing wider than the phone
        assert await violations(page) == [], scheme
        await page.keyboard.press("Tab")  # the skip link first, then the sections
        assert await page.evaluate("document.activeElement.textContent") == "Skip to the queue"
        await page.context.close()


@pytest.mark.parametrize("who", ["forged", "stale", "stranger"])
async def test_forged_stale_or_a_strangers_init_data_show_nothing(
    demo: Demo, browser: object, who: str
) -> None:
    ref = _filed(demo)
    token = demo.api.token
    init = {
        "forged": telegram_signed("111:not-this-bots-token", OFFICER_ID),
        "stale": telegram_signed(
            token, OFFICER_ID, signed_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
        ),
        "stranger": telegram_signed(token, STRANGER_ID),
    }[who]
    page = await _phone(browser)
    await page.goto(_address(demo, init))
    await expect(page.locator("body")).to_have_class("refused", timeout=WAIT_MS)
    expected = "Only the board's officers" if who == "stranger" else "opens from the bot's menu"
    await expect(page.locator("#status")).to_contain_text(expected)
    assert ref not in await page.content()
    assert await violations(page) == []
    await page.context.close()


async def test_the_chairs_dashboard_button_opens_it_framed_in_the_demo_page(
    demo: Demo, browser: object
) -> None:
    ref = _filed(demo)
    context = await browser.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    page: Page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    await page.route("https://telegram.org/**", _offline)
    await page.goto(demo.url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chair = page.locator('.chat[data-seat="chair"]')
    await chair.get_by_role("button", name="Dashboard", exact=True).click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Chris")
    frame = page.frame_locator("#dashboard-frame")
    await expect(frame.get_by_role("heading", name=ref)).to_be_visible()
    assert await page.locator('.chat[data-seat="practitioner"] .dashboard-open').count() == 0
    await dialog.get_by_role("button", name="Close").click()
    await expect(dialog).to_be_hidden()
    await context.close()
