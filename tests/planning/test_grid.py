"""The grid rules, checked on the computed calendar itself (no database, no model)."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from datetime import date, time, timedelta

import pytest

from clarion.planning.grid import (
    DEFAULT_TIMES,
    PILLARS,
    SUPPORTED_FORMATS,
    SlotSpec,
    build_grid,
    grid_problems,
    pillar_sequence,
)

ALL_NETWORKS = ["LinkedIn", "Facebook", "X", "Mastodon", "Bluesky"]
MONTHS = [
    pytest.param(date(2026, 2, 1), 28, id="28-day February"),
    pytest.param(date(2028, 2, 1), 29, id="29-day February"),
    pytest.param(date(2026, 4, 1), 30, id="30-day April"),
    pytest.param(date(2026, 12, 1), 31, id="31-day December"),
]


def grid(start: date, days: int, networks=None, **kwargs) -> list[SlotSpec]:
    return build_grid(
        start_date=start,
        days=days,
        networks=networks or ALL_NETWORKS,
        language=kwargs.pop("language", "en-US"),
        cta_targets=kwargs.pop("cta_targets", ["subscribe", "free tasting kit"]),
        seed=kwargs.pop("seed", "northwind"),
        **kwargs,
    )


def by_network(slots: list[SlotSpec]) -> dict[str, list[SlotSpec]]:
    grouped: dict[str, list[SlotSpec]] = defaultdict(list)
    for spec in slots:
        grouped[spec.network].append(spec)
    return grouped


@pytest.mark.parametrize(("start", "days"), MONTHS)
@pytest.mark.parametrize("seed", ["northwind", "café-nord", "acme"])
def test_every_network_gets_one_slot_a_day_for_every_day_of_the_month(start, days, seed):
    slots = grid(start, days, seed=seed)

    assert len(slots) == days * len(ALL_NETWORKS)
    for network, specs in by_network(slots).items():
        assert [s.date for s in specs] == [start + timedelta(days=n) for n in range(days)]
        assert {s.time_of_day for s in specs} == {DEFAULT_TIMES[network]}
    assert grid_problems(slots) == []


@pytest.mark.parametrize(("start", "days"), MONTHS)
@pytest.mark.parametrize("seed", ["northwind", "café-nord", "acme"])
def test_pillars_never_repeat_on_consecutive_days_and_are_used_evenly(start, days, seed):
    for network, specs in by_network(grid(start, days, seed=seed)).items():
        pillars = [s.pillar for s in specs]
        assert all(a != b for a, b in itertools.pairwise(pillars)), network
        counts = Counter(pillars)
        assert set(counts) == set(PILLARS)
        assert max(counts.values()) - min(counts.values()) <= 1, (network, counts)


@pytest.mark.parametrize(("start", "days"), MONTHS)
@pytest.mark.parametrize("seed", ["northwind", "café-nord", "acme"])
def test_no_pillar_angle_hook_format_combination_repeats_within_a_network(start, days, seed):
    for network, specs in by_network(grid(start, days, seed=seed)).items():
        combos = [(s.pillar, s.angle, s.hook, s.format) for s in specs]
        assert len(set(combos)) == len(combos), network


@pytest.mark.parametrize(("start", "days"), MONTHS)
def test_angles_hooks_ctas_and_formats_vary(start, days):
    for network, specs in by_network(grid(start, days)).items():
        assert len({s.angle for s in specs}) >= 8, network
        assert len({s.hook for s in specs}) == 6, network
        assert {s.cta for s in specs} == {"subscribe", "free tasting kit"}, network
        formats = Counter(s.format for s in specs)
        assert {"text", "image", "link"} <= set(formats), network
        assert max(formats.values()) < days / 2, (network, formats)


@pytest.mark.parametrize(("start", "days"), MONTHS)
def test_polls_only_go_to_networks_that_support_them(start, days):
    grouped = by_network(grid(start, days))

    for network in ("X", "LinkedIn", "Mastodon"):
        assert any(s.format == "poll" for s in grouped[network]), network
    for network in ("Facebook", "Bluesky"):
        assert all(s.format != "poll" for s in grouped[network]), network
    for network, specs in grouped.items():
        assert {s.format for s in specs} <= set(SUPPORTED_FORMATS[network])


def test_the_grid_is_deterministic_and_differs_between_brands():
    first = grid(date(2026, 3, 1), 31, seed="northwind")

    assert first == grid(date(2026, 3, 1), 31, seed="northwind")
    assert [s.pillar for s in first] != [s.pillar for s in grid(date(2026, 3, 1), 31, seed="acme")]


def test_french_brands_get_french_angles_and_default_ctas():
    slots = grid(date(2026, 3, 1), 10, networks=["LinkedIn"], language="fr-FR", cta_targets=[])

    assert "conseils pratiques" in {s.angle for s in slots} or "idées reçues" in {
        s.angle for s in slots
    }
    assert {s.cta for s in slots} <= {"en savoir plus", "dites-le-nous en commentaire"}


def test_times_of_day_can_be_set_per_network():
    slots = grid(date(2026, 3, 1), 3, networks=["X", "LinkedIn"], times={"X": time(7, 45)})

    assert {s.time_of_day for s in slots if s.network == "X"} == {time(7, 45)}
    assert {s.time_of_day for s in slots if s.network == "LinkedIn"} == {time(9, 0)}


def test_short_plans_use_distinct_pillars():
    for days in range(1, 7):
        sequence = pillar_sequence(days, random.Random(days))
        assert len(set(sequence)) == days


def test_grid_problems_names_each_broken_rule():
    good = grid(date(2026, 3, 1), 12, networks=["Facebook"])
    repeated = [good[0], SlotSpec(**{**good[1].__dict__, "pillar": good[0].pillar}), *good[2:]]
    polled = [*good[:-1], SlotSpec(**{**good[-1].__dict__, "format": "poll"})]

    assert any("repeats pillar" in p for p in grid_problems(repeated))
    assert any("cannot publish formats ['poll']" in p for p in grid_problems(polled))
    assert any("more than one slot" in p for p in grid_problems([*good, good[0]]))
