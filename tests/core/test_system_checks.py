"""Django's system checks (`clarion manage check`, `clarion doctor`) stay quiet on a fresh install."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import checks
from django.core.management import call_command
from django.db.models import fields


@pytest.mark.parametrize(
    "clock", [datetime.time(7, 59, 55), datetime.time(8, 0), datetime.time(8, 0, 5)]
)
def test_the_default_daily_run_time_is_not_taken_for_a_fixed_now_at_eight(monkeypatch, clock):
    now = datetime.datetime.combine(datetime.date(2026, 3, 2), clock)
    monkeypatch.setattr(fields, "_get_naive_now", lambda: now)
    output = io.StringIO()

    call_command("check", stdout=output, stderr=output)

    assert "W161" not in output.getvalue()
    assert not [m for m in checks.run_checks() if m.id == "fields.W161"]


def test_a_new_brand_still_runs_at_eight():
    from clarion.brands.models import Brand

    assert Brand().daily_run_time == datetime.time(8, 0)
