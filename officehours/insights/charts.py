"""Accessible SVG charts drawn on the server: no script, no CDN, and they print.

Each chart has a <title> and <desc> (referenced by aria-labelledby) and sits next
to a table with the same numbers (the template), so nothing is only in the picture.
Colours come from the stylesheet (classes series-0, series-1, ...), with a pattern
of lighter and darker tones that also reads in greyscale.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR_AREA = 180
LABEL_HEIGHT = 36
ROW_HEIGHT = 24


def _n(number: float) -> str:
    return f"{number:.1f}"


def _label(value) -> str:
    if hasattr(value, "isocalendar"):
        return date_format(value, "j/n")
    return str(value)


def _open(key: str, title: str, description: str, height: int) -> str:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>',
        WIDTH,
        height,
        key,
        key,
        key,
        title,
        key,
        description,
    )


def weekly_bars(figure) -> SafeString:
    """Grouped vertical bars, one group per week, one bar per drawn column."""
    rows = figure.rows
    drawn = figure.drawn
    peak = max([row[i] for row in rows for i in drawn] + [1])
    height = BAR_AREA + LABEL_HEIGHT
    parts = [_open(figure.key, figure.title, figure.description, height)]
    group = WIDTH / max(len(rows), 1)
    bar = max(min((group - 6) / len(drawn), 28), 2)
    label_every = max(1, round(len(rows) / 13))
    for index, row in enumerate(rows):
        left = index * group + (group - bar * len(drawn)) / 2
        for position, column in enumerate(drawn):
            value = row[column]
            tall = BAR_AREA * value / peak
            parts.append(
                format_html(
                    '<rect class="series-{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} {}</title></rect>",
                    position,
                    _n(left + position * bar),
                    _n(BAR_AREA - tall),
                    _n(bar),
                    _n(tall),
                    _label(row[0]),
                    value,
                    figure.columns[column],
                )
            )
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(index * group + group / 2),
                    BAR_AREA + 16,
                    _label(row[0]),
                )
            )
    parts.append(
        format_html(
            '<line class="axis" x1="0" y1="{}" x2="{}" y2="{}"></line>', BAR_AREA, WIDTH, BAR_AREA
        )
    )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 -- built with format_html


def ranking_bars(figure) -> SafeString:
    """Horizontal bars, one per row, labelled with the row's name and value."""
    rows = figure.rows
    peak = max([row[1] for row in rows] + [1])
    height = max(len(rows), 1) * ROW_HEIGHT + 8
    label_width = 260
    parts = [_open(figure.key, figure.title, figure.description, height)]
    for index, (name, value) in enumerate(row[:2] for row in rows):
        top = index * ROW_HEIGHT + 4
        wide = (WIDTH - label_width - 50) * value / peak
        text = str(name)
        short = text if len(text) <= 40 else text[:39] + "…"
        parts.append(
            format_html(
                '<text class="label" x="0" y="{}">{}</text>'
                '<rect class="series-0" x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="value" x="{}" y="{}">{}</text>',
                top + 15,
                short,
                label_width,
                top + 2,
                _n(wide),
                ROW_HEIGHT - 6,
                _n(label_width + wide + 6),
                top + 15,
                value,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 -- built with format_html


def chart(figure) -> SafeString:
    return ranking_bars(figure) if figure.chart == "ranking" else weekly_bars(figure)
