"""The calendar grid, computed by code: dates × networks, pillar rotation and variation.

Rules (seed 002, issue 4):

- one slot per day per network, at the network's time of day;
- the six pillars rotate per network: never the same pillar two days running,
  and over the plan every pillar is used as often as any other, give or take one;
- angle, hook, call to action and format vary; a network only gets formats it
  supports (polls on X, LinkedIn and Mastodon); no (pillar, angle, hook, format)
  appears twice in a plan for one network.

Every choice comes from a seeded random generator, so the same brand, start date
and networks always give the same grid. ``grid_problems`` checks the rules and is
run on every grid before it is stored.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import pairwise

from clarion.core.platforms import Platform
from clarion.planning.models import Pillar, PostFormat

PILLARS: tuple[str, ...] = tuple(Pillar.values)

DEFAULT_NETWORKS: tuple[str, ...] = (Platform.LINKEDIN, Platform.FACEBOOK, Platform.X)

# When each network's post goes out, local time, unless the caller says otherwise.
DEFAULT_TIMES: dict[str, time] = {
    Platform.LINKEDIN: time(9, 0),
    Platform.FACEBOOK: time(12, 0),
    Platform.X: time(17, 0),
    Platform.MASTODON: time(10, 30),
    Platform.BLUESKY: time(15, 0),
}

# Formats each network can publish; only X, LinkedIn and Mastodon have native polls.
SUPPORTED_FORMATS: dict[str, tuple[str, ...]] = {
    Platform.X: (PostFormat.TEXT, PostFormat.LINK, PostFormat.IMAGE, PostFormat.POLL),
    Platform.LINKEDIN: (PostFormat.TEXT, PostFormat.LINK, PostFormat.IMAGE, PostFormat.POLL),
    Platform.FACEBOOK: (PostFormat.TEXT, PostFormat.LINK, PostFormat.IMAGE),
    Platform.MASTODON: (PostFormat.TEXT, PostFormat.LINK, PostFormat.IMAGE, PostFormat.POLL),
    Platform.BLUESKY: (PostFormat.TEXT, PostFormat.LINK, PostFormat.IMAGE),
}

# The share of each format over a month: a cycle filtered by what a network supports.
_FORMAT_CYCLE: tuple[str, ...] = (
    PostFormat.TEXT,
    PostFormat.IMAGE,
    PostFormat.LINK,
    PostFormat.POLL,
    PostFormat.TEXT,
    PostFormat.IMAGE,
)

# Hook styles the writer knows (the offline writer reads these words too).
HOOKS: tuple[str, ...] = ("question", "statistic", "bold claim", "story", "how-to", "contrarian")

ANGLES: dict[str, tuple[str, ...]] = {
    "en": (
        "practical tips",
        "myth-busting",
        "customer story",
        "behind the numbers",
        "common mistakes",
        "step by step",
        "before and after",
        "lessons learned",
        "frequently asked questions",
        "trend take",
    ),
    "fr": (
        "conseils pratiques",
        "idées reçues",
        "témoignage client",
        "les chiffres clés",
        "erreurs fréquentes",
        "pas à pas",
        "avant / après",
        "leçons apprises",
        "questions fréquentes",
        "tendance du moment",
    ),
}

DEFAULT_CTAS: dict[str, tuple[str, ...]] = {
    "en": ("learn more", "tell us in the comments"),
    "fr": ("en savoir plus", "dites-le-nous en commentaire"),
}


@dataclass(frozen=True)
class SlotSpec:
    """One slot as code plans it; the planner agent adds the topic."""

    key: str
    date: date
    network: str
    slot: int
    time_of_day: time
    pillar: str
    angle: str
    hook: str
    cta: str
    format: str


def language_family(language: str) -> str:
    return "fr" if language.lower().startswith("fr") else "en"


def pillar_sequence(days: int, rng: random.Random) -> list[str]:
    """``days`` pillars: shuffled blocks of all six, never the same pillar twice in a row.

    Whole blocks use every pillar once and the last, partial block uses distinct
    pillars, so counts differ by at most one.
    """
    sequence: list[str] = []
    while len(sequence) < days:
        block = list(PILLARS)
        rng.shuffle(block)
        if sequence and block[0] == sequence[-1]:
            block[0], block[-1] = block[-1], block[0]
        sequence.extend(block)
    return sequence[:days]


def _formats(network: str, days: int, offset: int) -> list[str]:
    supported = SUPPORTED_FORMATS[network]
    cycle = [f for f in _FORMAT_CYCLE if f in supported]
    return [cycle[(day + offset) % len(cycle)] for day in range(days)]


def build_grid(
    *,
    start_date: date,
    days: int,
    networks: Sequence[str],
    language: str,
    cta_targets: Sequence[str],
    times: dict[str, time] | None = None,
    seed: str = "",
) -> list[SlotSpec]:
    """Every slot of a plan, in (date, network) order, following the module's rules."""
    family = language_family(language)
    angles = ANGLES[family]
    ctas = [c for c in cta_targets if c.strip()] or list(DEFAULT_CTAS[family])
    when = {**DEFAULT_TIMES, **(times or {})}
    by_network: dict[str, list[SlotSpec]] = {}
    for index, network in enumerate(networks):
        rng = random.Random(f"{seed}|{start_date.isoformat()}|{days}|{network}")
        pillars = pillar_sequence(days, rng)
        formats = _formats(network, days, offset=index)
        angle_start, hook_start = rng.randrange(len(angles)), rng.randrange(len(HOOKS))
        occurrences: Counter[str] = Counter()
        used: set[tuple[str, str, str, str]] = set()
        specs: list[SlotSpec] = []
        for day in range(days):
            pillar = pillars[day]
            seen = occurrences[pillar]
            occurrences[pillar] += 1
            # A pillar's k-th use gets hook k (shifted by the pillar's place in the
            # rotation), so one network never repeats a (pillar, hook) pair in 31 days;
            # the angle steps by 3 (coprime with 10), so ten days running differ.
            hook = HOOKS[(hook_start + seen + PILLARS.index(pillar)) % len(HOOKS)]
            angle = angles[(angle_start + 3 * day) % len(angles)]
            fmt = formats[day]
            combo = (pillar, angle, hook, fmt)
            shift = 0
            while combo in used:  # only when a plan is longer than six rotations
                shift += 1
                angle = angles[(angle_start + 3 * day + shift) % len(angles)]
                combo = (pillar, angle, hook, fmt)
            used.add(combo)
            current = start_date + timedelta(days=day)
            specs.append(
                SlotSpec(
                    key=f"{current:%m%d}-{network}",
                    date=current,
                    network=network,
                    slot=0,
                    time_of_day=when[network],
                    pillar=pillar,
                    angle=angle,
                    hook=hook,
                    cta=ctas[(day + index) % len(ctas)],
                    format=fmt,
                )
            )
        by_network[network] = specs
    return sorted(
        (spec for specs in by_network.values() for spec in specs),
        key=lambda s: (s.date, list(networks).index(s.network)),
    )


def grid_problems(slots: Sequence[SlotSpec]) -> list[str]:
    """Every broken rotation or variation rule in ``slots``; empty means the grid is sound."""
    problems: list[str] = []
    per_network: dict[str, list[SlotSpec]] = defaultdict(list)
    for spec in slots:
        per_network[spec.network].append(spec)
    for network, specs in per_network.items():
        specs = sorted(specs, key=lambda s: (s.date, s.slot))
        dates = [s.date for s in specs]
        if len(set(dates)) != len(dates):
            problems.append(f"{network} has more than one slot on a day")
        for before, after in pairwise(specs):
            if before.pillar == after.pillar and (after.date - before.date).days == 1:
                problems.append(
                    f"{network} repeats pillar {after.pillar} on {before.date} and {after.date}"
                )
        counts = Counter(s.pillar for s in specs)
        if len(specs) >= len(PILLARS):
            spread = [counts.get(p, 0) for p in PILLARS]
            if max(spread) - min(spread) > 1:
                problems.append(f"{network} uses pillars unevenly: {dict(counts)}")
        elif max(counts.values(), default=0) > 1:
            problems.append(f"{network} repeats a pillar in a plan shorter than the rotation")
        combos = Counter((s.pillar, s.angle, s.hook, s.format) for s in specs)
        for combo, count in combos.items():
            if count > 1:
                problems.append(
                    f"{network} uses (pillar, angle, hook, format) {combo} {count} times"
                )
        unsupported = {s.format for s in specs} - set(SUPPORTED_FORMATS[network])
        if unsupported:
            problems.append(f"{network} cannot publish formats {sorted(unsupported)}")
    return problems
