"""Server-side SVG charts (pygal) of the country sheet and the world overview.

The SVG is embedded inline in the page, so the PDF export carries it too, and works without
JavaScript (no pygal script is included). Each chart gets an accessible name; the pages also show
the same figures as text.
"""

import math
import re

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

#: DSFR colours: bleu France, then the illustrative palette.
DSFR_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#161616",
    foreground_strong="#161616",
    foreground_subtle="#666666",
    opacity="1",
    opacity_hover=".8",
    colors=("#000091", "#6a6af4", "#009081", "#c3992a", "#ce614a"),
    font_family="Marianne, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    value_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
)

_SVG_OPEN = re.compile(r"<svg\b")
#: pygal always writes its tooltip configuration as a script; the charts are static.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _inline(chart, label: str) -> str:
    """Render `chart` as inline SVG with an accessible name (role="img", aria-label)."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))
    svg = _SVG_OPEN.sub(
        f'<svg role="img" aria-label="{escape(label)}" focusable="false"', svg, count=1
    )
    # pygal escapes the labels it draws; the accessible name is escaped above.
    return mark_safe(svg)


def _base_options(height: int) -> dict:
    return {
        "disable_xml_declaration": True,
        "js": [],
        "style": DSFR_STYLE,
        "width": 720,
        "height": height,
        "explicit_size": False,
        "print_values": True,
        "print_values_position": "top",
        "truncate_label": 40,
        "margin": 8,
    }


def integer_ticks(highest: int, steps: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least `highest` (counts have no decimals)."""
    raw = max(1, math.ceil(highest / steps))
    magnitude = 10 ** (len(str(raw)) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, max(highest, 1) + step, step))


def counts_bar(label: str, rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart of `rows` [(label, count)], first row on top ("" when no rows)."""
    if not rows:
        return ""
    chart = pygal.HorizontalBar(
        show_legend=False,
        show_x_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        range=(0, max(max(v for _, v in rows), 1)),
        **_base_options(max(120, 44 * len(rows) + 40)),
    )
    rows = list(reversed(rows))  # pygal draws horizontal bars from the bottom up
    chart.x_labels = [name for name, _ in rows]
    chart.add(label, [value for _, value in rows])
    return _inline(chart, label)


def grouped_bar(label: str, categories: list[str], series: list[tuple[str, list[int]]]) -> str:
    """A vertical bar chart: one group per category, one bar per series ("" when empty)."""
    if not categories:
        return ""
    highest = max((max(values, default=0) for _, values in series), default=0)
    chart = pygal.Bar(
        show_legend=True,
        legend_at_bottom=True,
        x_label_rotation=0 if len(categories) <= 4 else 20,
        y_labels=integer_ticks(highest),
        **_base_options(380),
    )
    chart.x_labels = categories
    for name, values in series:
        chart.add(name, values)
    return _inline(chart, label)
