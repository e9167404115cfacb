"""Where experiments steer new work: a live posting-time experiment picks new plan slots' times.

The brand's active posting-time experiment shares the slots of a new monthly plan
between its live arms by Thompson sampling (each arm's chance to be best, with a
floor per arm so none starves of data); a doubled-down experiment gives every slot
to its winner. Without such an experiment the grid keeps the networks' usual times.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import time

from clarion.analytics.bayes import allocate
from clarion.brands.models import Brand
from clarion.planning.grid import SlotSpec


def experiment_times(brand: Brand, grid: Sequence[SlotSpec]) -> list[SlotSpec]:
    """``grid`` with each slot's time of day chosen by the brand's posting-time experiment."""
    from clarion.analytics.services import live_posting_time_shares

    live = live_posting_time_shares(brand)
    if live is None or not grid:
        return list(grid)
    experiment, values, shares = live
    counts = allocate(shares, len(grid))
    times = [value for value, count in zip(values, counts, strict=True) for _ in range(count)]
    random.Random(f"{experiment.pk}|{grid[0].date.isoformat()}").shuffle(times)
    return [
        replace(spec, time_of_day=time.fromisoformat(when))
        for spec, when in zip(grid, times, strict=True)
    ]
