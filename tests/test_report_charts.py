"""The report's own small pieces: SVG bar charts, the text progress bar, the figures' buckets."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from reports.charts import LABEL_WIDTH, VALUE_WIDTH, bar_chart
from reports.figures import BUCKETS, bucket
from reports.progress_bar import Progress


class _Svg(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[dict[str, str | None]] = []
        self.texts: list[str] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "rect":
            self.rects.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_bars_scale_to_the_largest_value_and_labels_are_escaped() -> None:
    svg = bar_chart("By agency", [("Health", 40), ("Police <b>&</b>", 10), ("None", 0)])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    parser = _Svg()
    parser.feed(str(svg))
    widths = [float(r["width"] or 0) for r in parser.rects]
    assert widths[0] > 0 and widths[1] == widths[0] / 4 and widths[2] == 0
    assert "Police <b>&</b>" in parser.texts  # shown as text, once unescaped by the parser
    assert "<b>" not in str(svg)
    assert 'aria-label="By agency"' in svg


def test_a_rate_scales_to_its_full_100_not_to_the_largest_rate() -> None:
    parser = _Svg()
    parser.feed(str(bar_chart("Read rate", [("Health", 50), ("Police", 25)], unit="%", full=100)))
    widths = [float(r["width"] or 0) for r in parser.rects]
    span = 720 - LABEL_WIDTH - VALUE_WIDTH  # the chart's default width less its label columns
    assert widths == [span / 2, span / 4]


def test_long_labels_are_shortened_on_the_chart_and_kept_in_the_tooltip() -> None:
    label = "Case scenarios & studies to share in the newsletter or cascade in training"
    svg = str(bar_chart("Routes", [(label, 3)]))
    assert ">Case scenarios &amp; studies to share in th…</text>" in svg
    assert f"<title>{label.replace('&', '&amp;')}: 3</title>" in svg


def test_an_empty_chart_says_none() -> None:
    assert ">None</text>" in bar_chart("Nothing", [])


def test_progress_bar_only_when_enabled() -> None:
    quiet = io.StringIO()
    with Progress(4, quiet, enabled=False) as progress:
        for _ in range(4):
            progress.tick()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    with Progress(4, shown, enabled=True, interval=0.0) as progress:
        progress.tick()
        assert shown.getvalue() == "\r[" + "#" * 8 + "." * 22 + "]  25% 1/4 parts"
        for _ in range(3):
            progress.tick()
    out = shown.getvalue()
    assert out.endswith("\r[" + "#" * 30 + "] 100% 4/4 parts\n")
    assert out.count("\r") == 4  # a line a part, not drawn again at the end
    assert Progress(0, shown, enabled=True).line().endswith("100% 0/0 parts")


def test_progress_bar_redraws_at_most_every_interval_and_at_the_end() -> None:
    shown = io.StringIO()
    with Progress(10, shown, enabled=True, interval=3600.0) as progress:
        for _ in range(10):
            progress.tick()
    assert shown.getvalue().split("\r")[1:] == [
        "[###...........................]  10% 1/10 parts",
        "[" + "#" * 30 + "] 100% 10/10 parts\n",
    ]


def test_time_to_decision_buckets_cover_every_duration() -> None:
    assert bucket(0.0) == "Under 1 day"
    assert bucket(2.99) == "1 to 2 days"
    assert bucket(3.0) == "3 to 5 days"
    assert bucket(400.0) == "Over 20 days"
    assert [low for _, low, _ in BUCKETS][1:] == [high for _, _, high in BUCKETS][:-1]
