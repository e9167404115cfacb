"""Small factories for publishing tests and their subprocess scenarios."""

from __future__ import annotations

import datetime as dt

from clarion.brands.models import Brand
from clarion.planning.models import MonthlyPlan, PlanSlot
from clarion.publishing.models import ChannelAccount, ChannelKind
from clarion.testing.fake_network import FakeNetwork

DAY = dt.date(2026, 3, 10)
NETWORKS = ("LinkedIn", "Facebook", "X")
PILLARS = ("education", "product", "social_proof")


def make_plan(
    brand: Brand,
    *,
    day: dt.date = DAY,
    networks: tuple[str, ...] = NETWORKS,
    days: int = 1,
    version: int | None = None,
    guidelines: dict[str, object] | None = None,
    at: dt.time | None = None,
) -> MonthlyPlan:
    """A small active plan: one slot per network for ``days`` days from ``day``."""
    earlier = MonthlyPlan.objects.filter(brand=brand, month=day.replace(day=1))
    if version is None:
        version = 1 + max(earlier.values_list("version", flat=True), default=0)
    earlier.update(is_active=False)
    plan = MonthlyPlan.objects.create(
        brand=brand,
        month=day.replace(day=1),
        start_date=day,
        days=days,
        networks=list(networks),
        guidelines=guidelines
        if guidelines is not None
        else {"tone": "friendly", "language": "en-US", "do": ["mention freshness"]},
        version=version,
    )
    PlanSlot.objects.bulk_create(
        PlanSlot(
            plan=plan,
            date=day + dt.timedelta(days=offset),
            network=network,
            slot=0,
            time_of_day=at or dt.time(9 + index, 0),
            pillar=PILLARS[(offset + index) % len(PILLARS)],
            angle="benefit",
            hook="question",
            cta="subscribe",
            format="text",
            topic=f"Why freshly roasted beans taste better ({network}, day {offset + 1})",
        )
        for offset in range(days)
        for index, network in enumerate(networks)
    )
    return plan


def use_network(brand: Brand, *, base_url: str, token: str, platform: str = "LinkedIn") -> None:
    """Send the brand's posts for ``platform`` to a Mastodon-compatible server."""
    ChannelAccount.objects.filter(brand=brand, platform=platform).update(is_active=False)
    ChannelAccount.objects.create(
        brand=brand,
        platform=platform,
        kind=ChannelKind.MASTODON,
        handle="clarion",
        base_url=base_url,
        token=token,
    )


def use_fake_network(brand: Brand, network: FakeNetwork, platform: str = "LinkedIn") -> None:
    use_network(brand, base_url=network.base_url, token=network.token, platform=platform)
