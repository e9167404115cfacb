"""What a model call costs: US dollars per million input and output tokens, per model.

The table below holds list prices of common models; ``CLARION_LLM_PRICES`` adds to
it or overrides it (``"openai:gpt-4o=2.5/10,openai-compatible:house=0.2/0.6"``).
A model is priced by its exact spec, else by the longest entry its spec starts
with (``openai:gpt-4o-2024-08-06`` costs what ``openai:gpt-4o`` does), else by its
provider alone (``ollama``: nothing); a model found nowhere costs 0 and the usage
page says it is unpriced.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from django.conf import settings

MILLION = Decimal(1_000_000)

# Dollars per million tokens: (input, output).
LIST_PRICES: dict[str, tuple[str, str]] = {
    "offline": ("0", "0"),
    "ollama": ("0", "0"),
    "test": ("0", "0"),
    "openai:gpt-4o": ("2.50", "10.00"),
    "openai:gpt-4o-mini": ("0.15", "0.60"),
    "openai:gpt-4.1": ("2.00", "8.00"),
    "openai:gpt-4.1-mini": ("0.40", "1.60"),
    "openai:gpt-4.1-nano": ("0.10", "0.40"),
    "anthropic:claude-3-5-haiku": ("0.80", "4.00"),
    "anthropic:claude-3-5-sonnet": ("3.00", "15.00"),
    "anthropic:claude-sonnet-4": ("3.00", "15.00"),
    "anthropic:claude-opus-4": ("15.00", "75.00"),
}


@functools.cache
def _table(
    overrides: tuple[tuple[str, tuple[Decimal, Decimal]], ...],
) -> dict[str, tuple[Decimal, Decimal]]:
    table = {spec: (Decimal(i), Decimal(o)) for spec, (i, o) in LIST_PRICES.items()}
    table.update(dict(overrides))
    return table


def prices() -> dict[str, tuple[Decimal, Decimal]]:
    """The price table in force: the list prices with ``CLARION_LLM_PRICES`` on top."""
    overrides = settings.CLARION_LLM_PRICES
    return _table(tuple(sorted(overrides.items())))


def price_of(model: str) -> tuple[Decimal, Decimal] | None:
    """Dollars per million (input, output) tokens for ``model``; None when it is unpriced."""
    table = prices()
    if model in table:
        return table[model]
    prefixes = [spec for spec in table if model.startswith(spec)]
    if prefixes:
        return table[max(prefixes, key=len)]
    provider = model.split(":", 1)[0]
    return table.get(provider)


def cost_of(model: str, input_tokens: int, output_tokens: int) -> Decimal:
    """What ``input_tokens`` and ``output_tokens`` of ``model`` cost, in dollars (6 places)."""
    price = price_of(model)
    if price is None or not (input_tokens or output_tokens):
        return Decimal(0)
    cost = (price[0] * input_tokens + price[1] * output_tokens) / MILLION
    return cost.quantize(Decimal("0.000001"))
