"""Exports: an RFC 5545 calendar (CRLF, escaped text, 75-octet folding) and a CSV that round-trips."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from clarion.planning import services
from clarion.planning.export import escape_text, fold

pytestmark = pytest.mark.django_db

TRICKY = "Café, crème; 50\\50 — ☕ «déjà vu»\nsecond line " + "très long texte accentué " * 6


def tricky_topics(request):
    return {
        "topics": [{"key": s["key"], "topic": f"{s['key']} {TRICKY}"} for s in request["slots"]]
    }


@pytest.fixture
def plan(brand, scripted):
    brand.timezone = "Europe/Paris"  # times are the brand's local clock, exported in UTC
    brand.save()
    scripted.script("topics", tricky_topics)
    return services.generate_monthly_plan(
        brand=brand, start_date=date(2026, 2, 1), networks=["X", "LinkedIn"]
    )


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(lines: list[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            assert name not in current, f"{name} twice in one event"
            current[name] = value
    return found


def test_the_calendar_uses_crlf_and_folds_lines_at_75_octets(plan):
    text = services.export_ical(plan)

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in physical) <= 75
    assert any(line.startswith(" ") for line in physical)  # long lines were folded
    for line in physical:
        line.encode("utf-8").decode("utf-8")  # no multi-byte character was split


def test_the_calendar_has_one_event_per_slot_with_its_time_and_escaped_text(plan):
    lines = unfold(services.export_ical(plan))

    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found = events(lines)
    slots = list(plan.slots.order_by("date", "time_of_day", "network"))
    assert len(found) == len(slots) == 56
    assert len({event["UID"] for event in found}) == 56
    for event, slot in zip(found, slots, strict=True):
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
        start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        local = start.astimezone(ZoneInfo(plan.brand.timezone))
        assert (local.date(), local.time()) == (slot.date, slot.time_of_day)
        assert event["DURATION"] == "PT15M"
        assert unescape(event["SUMMARY"]).endswith(slot.topic)
        assert slot.network in event["SUMMARY"]
        description = unescape(event["DESCRIPTION"])
        assert f"Topic: {slot.topic}" in description and f"Angle: {slot.angle}" in description
        # no unescaped separators are left in TEXT values
        assert not re.search(r"(?<!\\)[;,]", event["SUMMARY"].replace("\\\\", ""))


def test_escape_and_fold_follow_rfc_5545():
    assert escape_text("a,b;c\\d\r\ne\x01") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60
    folded = fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert folded[0].encode("utf-8")[:8] == b"SUMMARY:" and all(p[0] == " " for p in folded[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_the_csv_round_trips_through_the_csv_module(plan):
    text = services.export_csv(plan)

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    slots = list(plan.slots.order_by("date", "time_of_day", "network"))
    assert len(rows) == len(slots)
    for row, slot in zip(rows, slots, strict=True):
        assert row["plan_id"] == str(plan.pk) and row["brand"] == "northwind-coffee"
        assert row["version"] == "1"
        assert row["date"] == slot.date.isoformat()
        assert row["time"] == slot.time_of_day.strftime("%H:%M")
        assert (row["network"], row["pillar"], row["format"]) == (
            slot.network,
            slot.pillar,
            slot.format,
        )
        assert (row["angle"], row["hook"], row["cta"]) == (slot.angle, slot.hook, slot.cta)
        assert row["topic"] == slot.topic  # commas, quotes and newlines survive
