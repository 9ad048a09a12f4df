"""The page's scripted scene "A review's learning", started and watched over the page's API: it
plays through the real bot (a referral filed, approved and planned; a finding and an action; the
police's agency lead marks it done with evidence; a learning brief approved, read by the
practitioner and counted by `/reach`; the terms agreed, the police's agency review written and
submitted, and `/overview`'s Word document and HTML arriving), picking up a practitioner already
registered and half-way through a check; only one scene plays at a time, and only where its
seats are on the page."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from demo_helpers import PageClient

from demo import Demo
from demo.cast import LEAD_ID, PRACTITIONER_ID
from storage import actions, agency_reviews, briefs, practitioners, referrals, terms
from storage.db import open_db

SCENE_SECONDS = 120.0  # the whole scene: the group's rate limit (20 a minute) sets its pace


@pytest.fixture
async def quick(tmp_path: Path) -> AsyncIterator[tuple[Demo, PageClient]]:
    """A demo whose scenes play without the pauses a visitor needs to follow them."""
    async with (
        Demo(temp_parent=tmp_path, scene_pace=0.0) as demo,
        aiohttp.ClientSession(base_url=demo.url) as session,
    ):
        client = PageClient(session)
        await client.load()
        yield demo, client


async def _finished(page: PageClient) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SCENE_SECONDS
    while page.scene["state"] == "playing" and loop.time() < deadline:
        await page.poll(timeout=5)


async def test_a_reviews_learning_is_played_through_the_bot(
    quick: tuple[Demo, PageClient],
) -> None:
    demo, page = quick
    assert [s["slug"] for s in page.state["seats"]] == ["practitioner", "board", "chair", "lead"]
    assert page.state["scene"]["available"] == ["learning"]
    assert page.state["scene"]["state"] == "idle"
    # The visitor registered and began a check: the scene takes it from there.
    await page.send("practitioner", f"/start {demo.invite_code}")
    await page.wait_newest("practitioner", "no names")
    await page.press("practitioner", "I understand")
    await page.wait_newest("practitioner", "immediate risk")

    status, answer = await page.post("/api/scene", {"name": "learning"})
    assert status == 200 and answer["scene"]["state"] == "playing", answer
    again, refused = await page.post("/api/scene", {"name": "learning"})
    assert again == 409 and "already playing" in refused["error"]

    sent = await page.wait_for("lead", "New action for Police", timeout=SCENE_SECONDS)
    ref = re.search(r"LIR-\d{4}-\d{4}", sent["html"])
    assert ref is not None and f"{ref[0]}/A1" in sent["html"]
    labels = [b["text"] for row in sent["buttons"] for b in row]
    assert labels == ["Started", "Done", "Can't meet the date"]
    due = dt.date.fromisoformat(re.findall(r"due (\d{4}-\d{2}-\d{2})", sent["html"])[0])
    assert due > dt.date.today()
    await page.wait_for("board", f"Finding F1 recorded for {ref[0]}", timeout=SCENE_SECONDS)
    done = await page.wait_for("board", "done, says lead of Police", timeout=SCENE_SECONDS)
    assert "Evidence: Audit of 20 strategy discussions done" in done["html"]

    read_it = await _with_button(page, "practitioner", "Read it")
    assert f"7-minute briefing: {ref[0]}" in read_it["html"]
    reach = await page.wait_for("board", f"Learning brief {ref[0]}</b>", timeout=SCENE_SECONDS)
    assert "Sent to 2, read by 1 (50%)" in reach["html"]
    assert "Health: Sent to 1, read by 1 (100%)" in reach["html"]
    invited = await page.wait_for("practitioner", "You are invited", timeout=SCENE_SECONDS)
    assert ref[0] in invited["html"] and "Town hall" in invited["html"]
    coming = await page.wait_for("board", "coming 1", timeout=SCENE_SECONDS)
    assert f"Learning event of {ref[0]}" in coming["html"]

    # The review: the chair agrees the terms, Sam writes and submits the police's agency review.
    asked = await _with_button(page, "lead", "Start the agency review")
    assert f"Individual agency review for {ref[0]}: Police" in asked["html"]
    told = await page.wait_for("board", "submitted its agency review", timeout=SCENE_SECONDS)
    assert f"Police submitted its agency review for {ref[0]}" in told["html"]
    assert "2 chronology entries, 1 action point" in told["html"]
    overview = await page.wait_for("board", "draft overview report of", timeout=SCENE_SECONDS)
    word = overview["document"]
    assert word is not None and word["name"].endswith(".docx")
    async with page.session.get(word["url"]) as response:
        assert response.status == 200 and (await response.read()).startswith(b"PK")
    await _finished(page)
    html = await _document(page, "board", ".html")
    assert html["name"] == f"Overview-{ref[0]}.html"
    assert page.scene["state"] == "finished" and "End of the scene" in page.scene["caption"]

    assert demo.settings is not None
    db = open_db(demo.settings.db_path)
    try:
        assert referrals.require_referral(db, ref[0]).status == "review_planned"
        action = actions.find_action(db, f"{ref[0]}/A1")
        assert action is not None and (action.agency, action.status) == ("Police", "done")
        lead = practitioners.get_practitioner(db, LEAD_ID)
        assert lead is not None and lead.lead and lead.agency == "Police"
        brief = briefs.get_brief(db, ref[0])
        assert brief is not None and brief.status == briefs.APPROVED
        assert practitioners.get_practitioner(db, PRACTITIONER_ID) is not None
        agreed = terms.get_terms(db, ref[0])
        assert agreed is not None and agreed.status == terms.AGREED
        police = agency_reviews.get(db, ref[0], "Police")
        assert police is not None and police.submitted and police.holder_id == LEAD_ID
    finally:
        db.conn.close()
    # One referral: the practitioner's half-done check was cancelled, not submitted.
    assert any("Check cancelled" in text for text in page.texts("practitioner"))
    assert (
        len(re.findall(r"Referral LIR-\d{4}-\d{4} received", " ".join(page.texts("practitioner"))))
        == 1
    )


async def _with_button(page: PageClient, seat: str, label: str) -> dict[str, Any]:
    """The newest message in the seat's chat carrying a button labelled `label`, once there."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SCENE_SECONDS
    while True:
        try:
            message_id, _ = page.button(seat, label)
            return page.chats[seat][message_id]
        except LookupError:
            if loop.time() > deadline:
                raise
            await page.poll(timeout=5)


async def _document(page: PageClient, seat: str, suffix: str) -> dict[str, Any]:
    """The newest document in the seat's chat whose name ends with `suffix`, once there."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SCENE_SECONDS
    while True:
        for message in reversed(page.messages(seat)):
            document = message.get("document")
            if document and str(document["name"]).endswith(suffix):
                return dict(document)
        if loop.time() > deadline:
            raise TimeoutError(f"no {suffix} document in {seat}")
        await page.poll(timeout=5)


async def test_a_scene_only_by_name_and_where_its_seats_are(tmp_path: Path) -> None:
    async with (
        Demo(temp_parent=tmp_path, profile="wt2023") as demo,
        aiohttp.ClientSession(base_url=demo.url) as session,
    ):
        page = PageClient(session)
        await page.load()
        assert page.state["scene"]["available"] == []
        status, answer = await page.post("/api/scene", {"name": "learning"})
        assert status == 400 and "none here" in answer["error"]
        assert demo.player.state == "idle"
