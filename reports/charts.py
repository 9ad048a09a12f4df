"""Horizontal bar charts as inline SVG, drawn by our own small code (no plotting library).

`bar_chart(title, rows)` gives one `<svg>` element (as `Markup`, safe to embed in an autoescaped
template): a row per (label, value), the label on the left, a bar scaled to the largest value, the
value at the bar's end. It has a viewBox and no fixed size, so it scales with the page (the
documents' stylesheet sets it to the page's width); the document shows its data as a table too,
so the chart is one image named by its title. Labels and the title are XML-escaped; a long
label is shortened on the chart and kept whole in its tooltip (`<title>`).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 24
BAR = 16
LABEL_WIDTH = 300
VALUE_WIDTH = 70
TOP = 30
MAX_LABEL = 40
PALETTE = ("#2b6c8f", "#3f8f6b", "#8f6b2b", "#7a4b8f", "#8f2b45", "#4b5a8f")


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    width: int = 720,
    unit: str = "",
    colour: int = 0,
    full: float | None = None,
) -> Markup:
    """One horizontal bar chart: a bar per (label, value), scaled to `full` (a rate's 100) or
    else to the largest value."""
    height = TOP + ROW * max(1, len(rows)) + 8
    span = width - LABEL_WIDTH - VALUE_WIDTH
    top = full or max((value for _, value in rows), default=0) or 1
    fill = PALETTE[colour % len(PALETTE)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{TOP + 16}" font-size="13" fill="#555">None</text>')
    for i, (label, value) in enumerate(rows):
        y = TOP + i * ROW
        length = round(span * value / top, 1)
        text = f"{_number(value)}{unit}"
        parts.append(
            f'<g class="bar"><title>{escape(label)}: {escape(text)}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 3}" font-size="13" '
            f'text-anchor="end">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR}" fill="{fill}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + BAR - 3}" font-size="13">'
            f"{escape(text)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
