"""Batches planned at the same time may pick the same topic: alternatives settle it without
asking the model again."""

from __future__ import annotations

import datetime as dt

from clarion.planning.grid import SlotSpec
from clarion.planning.services import _repeated_topics, _use_alternatives


def spec(key: str, day: int, network: str = "LinkedIn") -> SlotSpec:
    return SlotSpec(
        key=key,
        date=dt.date(2030, 3, day),
        network=network,
        slot=0,
        time_of_day=dt.time(9),
        pillar="education",
        angle="benefit",
        hook="question",
        cta="subscribe",
        format="text",
    )


def test_a_repeated_topic_takes_the_first_alternative_free_on_its_network():
    grid = [spec("a", 1), spec("b", 2), spec("c", 3), spec("x", 2, "X")]
    topics = {"a": "Fresh beans", "b": "Fresh beans", "c": "Slow mornings", "x": "Fresh beans"}
    alternatives = {"b": ["slow  MORNINGS", "Roast dates, explained"], "x": ["Other"]}

    _use_alternatives(grid, topics, alternatives)

    assert topics == {  # "slow mornings" is planned already: the next one is taken
        "a": "Fresh beans",
        "b": "Roast dates, explained",
        "c": "Slow mornings",
        "x": "Fresh beans",  # another network may share a topic
    }
    assert _repeated_topics(grid, topics) == []


def test_when_the_repeat_has_no_free_alternative_the_earlier_slot_moves():
    grid = [spec("a", 1), spec("b", 2)]
    topics = {"a": "Fresh beans", "b": "Fresh beans"}

    _use_alternatives(grid, topics, {"a": ["Roast dates"], "b": ["Fresh beans"]})

    assert topics == {"a": "Roast dates", "b": "Fresh beans"}


def test_a_repeat_with_no_way_out_is_left_for_the_model():
    grid = [spec("a", 1), spec("b", 2)]
    topics = {"a": "Fresh beans", "b": "Fresh beans"}

    _use_alternatives(grid, topics, {})

    assert _repeated_topics(grid, topics) == ["b"]
