"""The demo page plays the chair, so other web pages must not drive it: a cross-site request
(a form, a "simple" text/plain POST, a request from another origin), a request without the
page's per-run token, or one whose Host is not this machine (DNS rebinding) is refused, and
nothing reaches the bot."""

from __future__ import annotations

import aiohttp
import pytest
from demo_helpers import PageClient

from demo import SEATS, Demo

PRESS = b'{"seat": "chair", "message_id": 1, "data": "c:LIR-2026-0001:approve"}'
SEND = b'{"seat": "chair", "text": "/queue"}'


async def _status(
    session: aiohttp.ClientSession, method: str, path: str, **kwargs: object
) -> tuple[int, str]:
    async with session.request(method, path, **kwargs) as response:  # type: ignore[arg-type]
        return response.status, await response.text()


@pytest.mark.parametrize(
    ("headers", "body", "refusal"),
    [
        ({"Content-Type": "text/plain"}, SEND, "must be JSON"),  # a "simple" cross-site POST
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"seat=chair", "must be JSON"),
        ({"Content-Type": "application/json", "Origin": "http://evil.example"}, SEND, "other web"),
        ({"Content-Type": "application/json", "X-Demo-Token": "guessed"}, SEND, "does not come"),
        ({"Content-Type": "application/json", "Host": "evil.example:80"}, SEND, "own address"),
    ],
    ids=["text-plain", "form", "other-origin", "wrong-token", "rebound-host"],
)
async def test_a_request_another_page_could_make_is_refused(
    page: PageClient, headers: dict[str, str], body: bytes, refusal: str
) -> None:
    status, text = await _status(page.session, "POST", "/api/send", data=body, headers=headers)
    assert status == 403 and refusal in text
    status, _ = await _status(page.session, "POST", "/api/press", data=PRESS, headers=headers)
    assert status == 403
    await page.poll(timeout=0.3)
    assert all(page.messages(seat.slug) == [] for seat in SEATS)


async def test_without_the_token_nothing_is_read_or_sent(demo: Demo) -> None:
    async with aiohttp.ClientSession(base_url=demo.url) as stranger:
        for method, path in (("GET", "/api/state"), ("GET", "/api/events?since=0&timeout=0")):
            status, text = await _status(stranger, method, path)
            assert status == 403 and "invite" not in text
        json_type = {"Content-Type": "application/json"}
        status, _ = await _status(stranger, "POST", "/api/send", data=SEND, headers=json_type)
        assert status == 403
        status, _ = await _status(stranger, "GET", "/", headers={"Host": "attacker.example"})
        assert status == 403


async def test_the_page_carries_a_token_of_its_own_run(demo: Demo, page: PageClient) -> None:
    async with page.session.get("/") as response:
        html = await response.text()
    assert f'name="demo-token" content="{demo.page.token}"' in html
    assert len(demo.page.token) >= 24 and "%%" not in html
    status, _ = await _status(page.session, "GET", "/api/state", headers={"Origin": demo.url})
    assert status == 200


@pytest.mark.parametrize(
    "path", ["/", "/static/demo.css", "/static/missing.js", "/api/state", "/api/nothing"]
)
async def test_no_other_site_may_frame_the_page(demo: Demo, page: PageClient, path: str) -> None:
    async with page.session.get(path) as response:
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    async with aiohttp.ClientSession(base_url=demo.url) as stranger:
        status, _ = await _status(stranger, "GET", "/api/state")  # refused, and still unframable
        assert status == 403
        async with stranger.get("/api/state") as response:
            assert response.headers["X-Frame-Options"] == "DENY"
