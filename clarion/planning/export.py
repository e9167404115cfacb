"""A monthly plan as an iCalendar file (RFC 5545) and as CSV.

The calendar has one VEVENT per slot, at the slot's local time of day as a
floating time (the brand's own clock); text values are escaped and lines folded
at 75 octets, with CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from clarion.planning.models import MonthlyPlan, Pillar, PlanSlot, PostFormat

CSV_COLUMNS = (
    "plan_id",
    "brand",
    "version",
    "date",
    "time",
    "network",
    "slot",
    "pillar",
    "format",
    "angle",
    "hook",
    "cta",
    "topic",
)
EVENT_MINUTES = 15
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _slots(plan: MonthlyPlan) -> list[PlanSlot]:
    return list(plan.slots.order_by("date", "time_of_day", "network", "slot"))


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon and comma escaped, newlines as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """``line`` folded so that no physical line exceeds 75 octets (UTF-8 never split)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # a continuation line starts with one space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def export_ical(plan: MonthlyPlan) -> str:
    """The plan as an iCalendar document (text/calendar)."""
    brand = plan.brand
    zone = ZoneInfo(brand.timezone or "UTC")
    stamp = _stamp(plan.created_at)
    pillars = dict(Pillar.choices)
    formats = dict(PostFormat.choices)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Clarion//Monthly plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:"
        + escape_text(f"{brand.brand_name} {plan.month:%Y-%m} (version {plan.version})"),
    ]
    for slot in _slots(plan):
        pillar = pillars.get(slot.pillar, slot.pillar)
        fmt = formats.get(slot.format, slot.format)
        start = datetime.combine(slot.date, slot.time_of_day, tzinfo=zone)
        description = "\n".join(
            (
                f"Topic: {slot.topic}",
                f"Pillar: {pillar}",
                f"Format: {fmt}",
                f"Angle: {slot.angle}",
                f"Hook: {slot.hook}",
                f"Call to action: {slot.cta}",
            )
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:clarion-plan{plan.pk}-slot{slot.pk}@clarion",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_stamp(start)}",  # the brand's local time, in UTC
            f"DURATION:PT{EVENT_MINUTES}M",
            "SUMMARY:" + escape_text(f"{slot.network} · {pillar}: {slot.topic}"),
            "DESCRIPTION:" + escape_text(description),
            "CATEGORIES:" + ",".join(escape_text(v) for v in (pillar, slot.network, fmt)),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def slot_cells(slot: PlanSlot) -> dict[str, str]:
    """A slot's values as text, by column name (``date`` ISO, ``time`` HH:MM)."""
    return {
        "date": slot.date.isoformat(),
        "time": slot.time_of_day.strftime("%H:%M"),
        "network": slot.network,
        "slot": str(slot.slot),
        "pillar": slot.pillar,
        "format": slot.format,
        "angle": slot.angle,
        "hook": slot.hook,
        "cta": slot.cta,
        "topic": slot.topic,
    }


def export_csv(plan: MonthlyPlan) -> str:
    """The plan as CSV: a header row, then one row per slot (CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for slot in _slots(plan):
        row = {
            "plan_id": plan.pk,
            "brand": plan.brand.slug,
            "version": plan.version,
            **slot_cells(slot),
        }
        writer.writerow(row[column] for column in CSV_COLUMNS)
    return buffer.getvalue()
