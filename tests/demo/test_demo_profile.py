"""The demo page under each profile: its tagline names whom the visitor plays in its own
columns (the three partners' leads under wt2023, never the chair), and each partner's column
has a title, a marker and a colour of its own, its title wrapping rather than cut."""

from __future__ import annotations

import html
import re
from pathlib import Path

import aiohttp
import pytest
from demo_helpers import PageClient

from demo import Demo

CSS = Path(__file__).resolve().parents[2] / "demo" / "static" / "demo.css"


async def tagline_and_seats(tmp_path: Path, profile: str) -> tuple[str, list[dict[str, str]]]:
    async with (
        Demo(temp_parent=tmp_path, profile=profile) as demo,
        aiohttp.ClientSession(base_url=demo.url) as session,
    ):
        page = PageClient(session)
        await page.load()
        async with session.get("/") as response:
            served = await response.text()
    found = re.search(r'<p class="tagline">(.*?)</p>', served, re.S)
    assert found is not None
    return " ".join(html.unescape(found[1]).split()), page.state["seats"]


@pytest.mark.parametrize("profile", ["wt2023", "2013"])
async def test_the_tagline_names_whom_the_visitor_plays(tmp_path: Path, profile: str) -> None:
    tagline, seats = await tagline_and_seats(tmp_path, profile)
    if profile == "wt2023":
        assert tagline.startswith(
            "Offline demo: you play the practitioner, a board officer, the local authority's "
            "lead, the integrated care board's lead and the police's lead."
        )
        assert "chair" not in tagline
        partners = seats[2:]
        assert len({s["title"] for s in partners}) == len({s["marker"] for s in partners}) == 3
        css = CSS.read_text(encoding="utf-8")
        colours = set()
        for seat in partners:
            rule = re.search(
                rf'\.chat\[data-seat="{seat["slug"]}"\] {{ --seat: var\((--\w+)\)', css
            )
            assert rule is not None, seat["slug"]
            value = re.search(rf"{rule[1]}: (#[0-9a-f]{{6}});", css)
            assert value is not None
            colours.add(value[1])
        assert len(colours) == 3
        title_rule = re.search(r"\.chat-title \{([^}]*)\}", css)
        assert title_rule is not None and "ellipsis" not in title_rule[1]
    else:
        assert "the independent chair and an agency lead." in tagline
