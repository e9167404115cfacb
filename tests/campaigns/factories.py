"""Campaign rows for tests, made directly with the ORM (no strategist involved)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from clarion.brands.models import Brand
from clarion.campaigns.models import Campaign, Post, PostLink

_numbers = itertools.count(1)


def make_campaign(
    brand: Brand,
    phases: Sequence[int] = (3, 4, 4, 4),
    *,
    platforms: Sequence[str] | None = None,
    **fields: Any,
) -> Campaign:
    """A campaign with ``phases[k]`` active posts in phase k+1, each linked to the phase before.

    Post ids are ``p<phase>-<position>``; post i of a phase has post i mod n of the
    previous phase as parent, and every post before the last phase gets a child.
    """
    number = next(_numbers)
    metadata = dict(fields.pop("metadata", {}))
    if platforms is not None:
        metadata["platforms"] = list(platforms)
    campaign = Campaign.objects.create(
        campaign_id=fields.pop("campaign_id", f"launch-{number}"),
        brand=brand,
        name=fields.pop("name", f"Spring launch {number}"),
        description=fields.pop(
            "description", "Win 500 subscribers for the new single-origin subscription."
        ),
        metadata=metadata,
        **fields,
    )
    previous: list[Post] = []
    links: list[PostLink] = []
    for phase, count in enumerate(phases, start=1):
        current = [
            Post.objects.create(
                campaign=campaign,
                post_id=f"p{phase}-{position}",
                phase=phase,
                phase_name=(
                    "Awareness",
                    "Consideration",
                    "Launch",
                    "Loyalty",
                    "Advocacy",
                    "Win-back",
                )[(phase - 1) % 6],
                position=position,
                title=f"Fresh beans, step {phase}.{position}",
                objective=f"Move remote workers one step closer to subscribing (phase {phase}).",
                hook=f"What does coffee roasted {position + 1} days ago taste like?",
            )
            for position in range(1, count + 1)
        ]
        if previous:
            linked: set[int] = set()
            for index, post in enumerate(current):
                parent = previous[index % len(previous)]
                links.append(PostLink(source=parent, target=post))
                linked.add(parent.pk)
            links += [PostLink(source=p, target=current[0]) for p in previous if p.pk not in linked]
        previous = current
    PostLink.objects.bulk_create(links)
    return campaign
