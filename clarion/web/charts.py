"""Charts drawn on the server as SVG, for every page of the web app.

Why SVG from Python rather than a charting library in the browser: the page is
complete in the one response the server sends (no second request for data, no
script to load, nothing drawn late), so a chart works without JavaScript, in a
test with Django's client, in a screenshot and in a printed page; it costs no
dependency, no static bundle and no build step; and each chart is accessible
markup a test can read (a ``<title>`` and ``<desc>``, each bar's label and value as
text, a ``<title>`` per bar for the pointer). Each chart scales to its container
through its ``viewBox``, so it fits a 390 px phone as well as a laptop.

Two shapes cover what Clarion shows: ``bar_chart`` (one value per label) and
``stacked_bars`` (several series per label, with a legend). Bars are horizontal,
so long labels (content pillars, campaign phases) stay readable on a phone. Values
must be zero or more; a chart with nothing to draw (no rows, or all zero) says so
in words instead.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

__all__ = ["PALETTE", "bar_chart", "format_number", "stacked_bars"]

# Colours dark enough for white figures on them (WCAG AA for 13 px bold text).
PALETTE = ("#2f5bd3", "#1f7a4d", "#b3261e", "#6b4fbb", "#9a6200", "#0f6f80", "#5b6475")

WIDTH = 440
LABEL_WIDTH = 142
VALUE_WIDTH = 50
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LEGEND_HEIGHT = 26
PAD = 6
FONT = 13
CHAR_WIDTH = 7.2  # a 13 px sans-serif character, on average
MIN_LABELLED_SEGMENT = 24  # narrower segments show their value only on hover

Formatter = Callable[[float], str]


def format_number(value: float) -> str:
    """``1234`` as ``1,234``; a fraction with one decimal (``2.5``)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _check(value: float, label: str) -> float:
    number = float(value)
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise ValueError(f"chart values must be finite and zero or more ({label!r}: {value!r})")
    return number


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` px (the whole text is in the bar's title)."""
    room = max(int(width / CHAR_WIDTH), 4)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _chart_id(title: str, rows: object) -> str:
    digest = hashlib.sha1(repr((title, rows)).encode(), usedforsecurity=False).hexdigest()[:6]
    return f"chart-{slugify(title)[:40] or 'untitled'}-{digest}"


def _empty(title: str, message: str, chart_id: str) -> SafeString:
    height = 44
    return mark_safe(  # every text in it is escaped
        f'<svg class="chart chart-empty" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(message)}</desc>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" rx="6" fill="#f5f7fa" '
        f'stroke="#dfe3ea"/>'
        f'<text x="{WIDTH / 2}" y="{height / 2 + 5}" text-anchor="middle" font-size="{FONT}" '
        f'fill="#5b6475">{escape(message)}</text></svg>'
    )


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[float]]] | Mapping[str, Sequence[float]],
    *,
    series: Sequence[str],
    title: str,
    colors: Sequence[str] | None = None,
    empty: str = "No data for this period.",
    value_format: Formatter = format_number,
    chart_id: str | None = None,
) -> SafeString:
    """One horizontal bar per row, split into ``series`` (a legend names them).

    ``rows`` are ``(label, values)`` with one value per series. Each bar's length is
    its total over the largest total; the total is printed at its end, and each
    segment wide enough shows its own value (every segment's value is in its
    ``<title>`` and in the chart's ``<desc>``).
    """
    items = list(rows.items()) if isinstance(rows, Mapping) else list(rows)
    names = [str(name) for name in series]
    palette = list(colors or PALETTE)
    if not names:
        raise ValueError("name at least one series")
    if len(palette) < len(names):
        raise ValueError(f"{len(names)} series need as many colours (got {len(palette)})")
    checked: list[tuple[str, list[float]]] = []
    for label, values in items:
        numbers = [_check(v, str(label)) for v in values]
        if len(numbers) != len(names):
            raise ValueError(f"{label!r} has {len(numbers)} values for {len(names)} series")
        checked.append((str(label), numbers))
    ident = chart_id or _chart_id(title, checked)
    largest = max((sum(values) for _, values in checked), default=0.0)
    if largest == 0:
        return _empty(title, empty, ident)

    legend = len(names) > 1
    top = PAD + (LEGEND_HEIGHT if legend else 0)
    height = top + ROW_HEIGHT * len(checked) + PAD
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
    ]
    described = []
    for label, values in checked:
        if legend:
            split = ", ".join(
                f"{name} {value_format(v)}" for name, v in zip(names, values, strict=True)
            )
            described.append(f"{label}: {value_format(sum(values))} ({split})")
        else:
            described.append(f"{label}: {value_format(values[0])}")
    parts.append(f'<desc id="{ident}-desc">{escape("; ".join(described))}.</desc>')

    if legend:
        room = sum(17 + len(name) * CHAR_WIDTH + 14 for name in names)
        x = float(LABEL_WIDTH) if LABEL_WIDTH + room <= WIDTH else float(PAD)
        parts.append('<g class="legend">')
        for name, color in zip(names, palette, strict=False):
            parts.append(
                f'<rect x="{x:.1f}" y="{PAD + 3}" width="12" height="12" rx="2" fill="{escape(color)}"/>'
                f'<text x="{x + 17:.1f}" y="{PAD + 13}" fill="#1d2330">{escape(name)}</text>'
            )
            x += 17 + len(name) * CHAR_WIDTH + 14
        parts.append("</g>")

    for index, (label, values) in enumerate(checked):
        y = top + index * ROW_HEIGHT
        bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        text_y = y + ROW_HEIGHT / 2 + FONT * 0.36
        total = sum(values)
        parts.append('<g class="bar">')
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" '
            f'fill="#1d2330">{escape(_fit(label, LABEL_WIDTH - 10))}<title>{escape(label)}</title>'
            f"</text>"
        )
        x = float(LABEL_WIDTH)
        for name, value, color in zip(names, values, palette, strict=False):
            if value <= 0:
                continue
            width = area * value / largest
            shown = value_format(value)
            tip = f"{label}, {name}: {shown}" if legend else f"{label}: {shown}"
            parts.append(
                f'<rect x="{x:.2f}" y="{bar_y:.1f}" width="{width:.2f}" height="{BAR_HEIGHT}" '
                f'fill="{escape(color)}" data-value="{value:g}"><title>{escape(tip)}</title></rect>'
            )
            if legend and width >= max(MIN_LABELLED_SEGMENT, len(shown) * CHAR_WIDTH + 6):
                parts.append(
                    f'<text x="{x + width / 2:.2f}" y="{text_y:.1f}" text-anchor="middle" '
                    f'fill="#fff" font-weight="600" aria-hidden="true">{escape(shown)}</text>'
                )
            x += width
        parts.append(
            f'<text class="value" x="{x + 6:.2f}" y="{text_y:.1f}" fill="#1d2330" '
            f'font-weight="600">{escape(value_format(total))}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped


def bar_chart(
    rows: Sequence[tuple[str, float]] | Mapping[str, float],
    *,
    title: str,
    color: str = PALETTE[0],
    empty: str = "No data for this period.",
    value_format: Formatter = format_number,
    chart_id: str | None = None,
) -> SafeString:
    """One horizontal bar per ``(label, value)``, its length proportional to the value."""
    items = list(rows.items()) if isinstance(rows, Mapping) else list(rows)
    return stacked_bars(
        [(label, [value]) for label, value in items],
        series=[title],
        title=title,
        colors=[color],
        empty=empty,
        value_format=value_format,
        chart_id=chart_id,
    )
