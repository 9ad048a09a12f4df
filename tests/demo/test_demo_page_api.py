"""The page's HTTP API against the running demo: the page loads, text and presses reach the
bot as the seat's person, changes arrive as events, documents download, bad input is refused."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import aiohttp
from demo_helpers import CHECK_PATH, DESCRIPTION, PageClient

from demo import SEATS, Demo
from demo.cast import (
    BOARD_CHAT_ID,
    CHAIR_ID,
    ICB_ID,
    LA_ID,
    LEAD_ID,
    POLICE_ID,
    PRACTITIONER_ID,
)
from storage import practitioners, referrals
from storage.db import open_db


async def test_the_page_and_its_files_load_and_need_no_network(page: PageClient) -> None:
    async with page.session.get("/") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        html = await response.text()
    assert "Register with invite" in html
    assert '<script src="/static/demo.js"' in html
    for name, kind in (("demo.js", "javascript"), ("demo.css", "text/css")):
        async with page.session.get(f"/static/{name}") as response:
            assert response.status == 200
            assert kind in response.content_type
            body = await response.text()
        assert "http://" not in body and "https://" not in body and "@import" not in body
    assert "http://" not in html and "https://" not in html


async def test_state_shows_four_seats_and_a_working_invite(demo: Demo, page: PageClient) -> None:
    seats = page.state["seats"]
    assert [s["slug"] for s in seats] == ["practitioner", "board", "chair", "lead"]
    assert seats[0]["title"] == "Practitioner — Health visitor"
    assert [s["chat_id"] for s in seats] == [PRACTITIONER_ID, BOARD_CHAT_ID, CHAIR_ID, LEAD_ID]
    assert all(s["messages"] == [] for s in seats)
    code = page.state["invite"]["code"]
    assert code == demo.invite_code and re.fullmatch(r"[2-9A-Z]{8}", code)
    assert demo.settings is not None
    db = open_db(demo.settings.db_path)
    try:
        invite = practitioners.get_invite(db, code)
        assert invite is not None and invite.agency == "Health" and invite.used_by is None
    finally:
        db.conn.close()


async def test_text_and_presses_reach_the_bot_and_edits_arrive_in_place(
    demo: Demo, page: PageClient
) -> None:
    await page.send("practitioner", f"/start {demo.invite_code}")
    await page.wait_for("practitioner", "registered for")
    question = await page.wait_newest("practitioner", "no names")
    assert [[b["text"] for b in row] for row in question["buttons"]] == [["I understand"]]
    mine = [m for m in page.messages("practitioner") if not m["from_bot"]]
    assert [m["html"] for m in mine] == [f"/start {demo.invite_code}"]
    assert mine[0]["sender"] == "Pat (health visitor)"

    await page.press("practitioner", "I understand")
    await page.wait_newest("practitioner", "immediate risk")
    answered = page.chats["practitioner"][question["id"]]  # the same message, edited
    assert answered["edited"] and [[b["text"] for b in r] for r in answered["buttons"]] == [
        ["Yes"],
        ["No"],
    ]
    assert "✓ Privacy: <b>I understand</b>" in answered["html"]

    status, answer = await page.post(
        "/api/press",
        {
            "seat": "practitioner",
            "message_id": question["id"],
            "data": question["buttons"][0][0]["data"],
        },
    )
    assert status == 409 and "no longer there" in answer["error"]

    assert demo.settings is not None
    db = open_db(demo.settings.db_path)
    try:
        registered = practitioners.get_practitioner(db, PRACTITIONER_ID)
        assert registered is not None and registered.agency == "Health"
    finally:
        db.conn.close()


async def test_a_whole_referral_through_the_page_api(demo: Demo, page: PageClient) -> None:
    await page.send("practitioner", f"/start {demo.invite_code}")
    await page.wait_newest("practitioner", "no names")
    for label, phrase in CHECK_PATH:
        await page.press("practitioner", label)
        await page.wait_newest("practitioner", phrase)
    await page.send("practitioner", DESCRIPTION)
    await page.wait_newest("practitioner", "case reference")
    await page.press("practitioner", "Skip")
    summary = await page.wait_newest("practitioner", "submit")
    assert "Grade: Catastrophic" in summary["html"]
    await page.press("practitioner", "Submit to the board")
    receipt = await page.wait_for("practitioner", "received")
    ref = re.search(r"LIR-\d{4}-\d{4}", receipt["html"])
    assert ref is not None

    notice = await page.wait_for("board", f"New referral {ref[0]}")
    assert "Catastrophic" in notice["html"] and notice["buttons"] == []
    card = await page.wait_for("chair", f"Decision needed: {ref[0]}")
    assert "07700 900123" not in card["html"] and "[REDACTED]" in card["html"]
    assert "<blockquote>" in card["html"]  # the bot's formatting, kept
    await page.press("chair", "Approve")
    await page.wait_for("practitioner", "Review approved")
    decided = await page.wait_for("chair", "Review approved")
    assert decided["id"] == card["id"] and decided["edited"] and decided["buttons"] == []
    await asyncio.wait_for(_toast(page), 8)
    assert page.toasts[0]["seat"] == "chair" and "Approved" in page.toasts[0]["text"]

    await page.wait_for("board", f"{ref[0]}: Review approved")
    await page.send("board", "/help")
    await asyncio.wait_for(_officer_said(page, "/help"), 8)
    assert demo.settings is not None
    db = open_db(demo.settings.db_path)
    try:
        assert referrals.require_referral(db, ref[0]).status == "approved"
    finally:
        db.conn.close()


async def _toast(page: PageClient) -> None:
    while not page.toasts:
        await page.poll()


async def _officer_said(page: PageClient, text: str) -> None:
    """Wait until the officer's message shows in the group and the bot answers it there."""
    while True:
        group = page.messages("board")
        mine = [m for m in group if not m["from_bot"] and m["html"] == text]
        if mine and any(m["from_bot"] and m["id"] > mine[-1]["id"] for m in group):
            assert mine[-1]["sender"] == "Olu (board officer)"
            return
        await page.poll()


async def test_documents_are_offered_for_download(demo: Demo, page: PageClient) -> None:
    assert demo.app is not None
    data = b"Terms of reference (synthetic)\n"
    await demo.app.bot.send_document(BOARD_CHAT_ID, document=data, filename="tor-LIR.txt")
    await page.poll()
    [message] = page.messages("board")
    document = message["document"]
    assert document["name"] == "tor-LIR.txt" and document["size"] == len(data)
    async with page.session.get(document["url"]) as response:
        assert response.status == 200
        assert await response.read() == data
        assert 'filename="tor-LIR.txt"' in response.headers["Content-Disposition"]
    async with page.session.get("/api/file/board/999") as response:
        assert response.status == 404
    async with page.session.get("/api/file/nobody/1") as response:
        assert response.status == 404


async def test_bad_requests_are_refused(page: PageClient) -> None:
    cases = [
        ("/api/send", {"seat": "stranger", "text": "hi"}, 400, "seat must be one of"),
        ("/api/send", {"seat": "practitioner", "text": "   "}, 400, "must not be empty"),
        ("/api/send", {"seat": "practitioner", "text": "x" * 4097}, 400, "at most 4096"),
        ("/api/send", ["not", "an", "object"], 400, "JSON object"),
        ("/api/press", {"seat": "chair", "message_id": "1", "data": "x"}, 400, "must be a number"),
        ("/api/press", {"seat": "chair", "message_id": 1, "data": "forged"}, 409, "no longer"),
        ("/api/scene", {"name": "everything"}, 400, "name must be one of: learning"),
    ]
    for path, body, status, error in cases:
        got, answer = await page.post(path, body)
        assert (got, answer["ok"]) == (status, False), (path, body, answer)
        assert error in answer["error"]
    json_type = {"Content-Type": "application/json"}
    async with page.session.post("/api/send", data=b"{not json", headers=json_type) as response:
        assert response.status == 400
    async with page.session.get("/api/events", params={"since": "-1"}) as response:
        assert response.status == 400
    async with page.session.get("/api/events", params={"since": "soon"}) as response:
        assert response.status == 400
    assert all(page.messages(seat.slug) == [] for seat in SEATS)


async def test_events_long_poll_waits_and_wakes_at_once(page: PageClient) -> None:
    started = time.monotonic()
    assert await page.poll(timeout=0.3) == []
    assert time.monotonic() - started >= 0.25

    async def later() -> None:
        await asyncio.sleep(0.2)
        await page.send("chair", "/help")

    sender = asyncio.create_task(later())
    started = time.monotonic()
    changes = await page.poll(timeout=10)
    await sender
    assert time.monotonic() - started < 5
    assert next(c["message"]["html"] for c in changes if c["type"] == "message") == "/help"


async def test_under_wt2023_three_partners_sit_in_the_chairs_place_and_decide_jointly(
    tmp_path: Path,
) -> None:
    async with (
        Demo(temp_parent=tmp_path, profile="wt2023") as demo,
        aiohttp.ClientSession(base_url=demo.url) as session,
    ):
        page = PageClient(session)
        await page.load()
        seats = page.state["seats"]
        assert [s["slug"] for s in seats] == ["practitioner", "board", "la", "icb", "police"]
        assert [s["chat_id"] for s in seats[2:]] == [LA_ID, ICB_ID, POLICE_ID]
        assert demo.settings is not None and demo.settings.joint
        assert demo.settings.load_matrix().profile == "wt2023"

        await page.send("practitioner", f"/start {demo.invite_code}")
        await page.wait_newest("practitioner", "no names")
        for label, phrase in CHECK_PATH:
            await page.press("practitioner", label)
            await page.wait_newest("practitioner", phrase)
        await page.send("practitioner", DESCRIPTION)
        await page.wait_newest("practitioner", "case reference")
        await page.press("practitioner", "Skip")
        await page.wait_newest("practitioner", "submit")
        await page.press("practitioner", "Submit to the board")
        receipt = await page.wait_for("practitioner", "received")
        ref = re.search(r"LIR-\d{4}-\d{4}", receipt["html"])
        assert ref is not None
        for partner in ("la", "icb", "police"):
            await page.wait_for(partner, f"Decision needed: {ref[0]}")
        await page.press("la", "Approve")
        await page.wait_for("la", "Still to decide: Integrated care board, Police")
        await page.press("icb", "Approve")
        await page.wait_for("icb", "Still to decide: Police")
        await page.press("police", "Approve")
        await page.wait_for("practitioner", "Review approved")
        decided = await page.wait_for("police", "by the three safeguarding partners")
        assert decided["buttons"] == []
        db = open_db(demo.settings.db_path)
        try:
            assert referrals.require_referral(db, ref[0]).status == "approved"
        finally:
            db.conn.close()
