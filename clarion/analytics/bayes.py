"""Bayesian decisions on experiment arms: Beta-Binomial posteriors, keep / kill / double down.

Each arm's success rate gets a Beta posterior: a weak prior centred on the brand's
history (``prior_from_history``) plus the arm's successes and trials. Monte Carlo
draws from the posteriors (a fixed-seed numpy Generator, vectorised over experiments,
arms and draws) give each arm's chance to be best, its chance to be worse than the
leader and its expected loss (how much rate is given up by picking it).

The rules, per arm:

- **kill** when the arm has at least the minimum sample and P(arm < leader) > 0.95;
- **double down** when the arm has the minimum sample, P(best) > 0.95 and its
  expected loss is below ε (a share of the brand's usual rate);
- **keep** otherwise.

Every function takes arrays whose last axis is the arms, so ``bench/bench_learning.py``
evaluates a thousand simulated experiments in one call, with the very code Clarion uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

KILL_THRESHOLD = 0.95  # P(arm < leader) above this, after the minimum sample: kill
BEST_THRESHOLD = 0.95  # P(best) above this, with a small expected loss: double down
PRIOR_TRIALS = 20.0  # how many trials the brand's history weighs in a prior: a weak prior
DRAWS = 4000  # Monte Carlo draws per arm
SEED = 20240601  # the fixed seed: the same data always gives the same decision

KEEP, KILL, DOUBLE_DOWN = "keep", "kill", "double_down"

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Rules:
    """The thresholds of one success metric (a rate of impressions needs far more trials
    than a rate of reviewed drafts before it says anything)."""

    min_trials: float
    loss_tolerance: float  # ε as a share of the prior mean: 0.02 means 2 % of the usual rate
    prior_trials: float = PRIOR_TRIALS  # the most trials the brand's history weighs
    kill_threshold: float = KILL_THRESHOLD
    best_threshold: float = BEST_THRESHOLD


@dataclass(frozen=True)
class Evidence:
    """Posterior summaries, each shaped like the successes given (last axis: arms)."""

    successes: Floats
    trials: Floats
    mean: Floats  # posterior mean rate
    low: Floats  # 5 % quantile
    high: Floats  # 95 % quantile
    p_best: Floats  # chance to be the best arm
    p_below_leader: Floats  # chance to be worse than the leader (the leader: vs the runner-up)
    expected_loss: Floats  # E[max rate − this arm's rate]
    leader: NDArray[np.int64]  # index of the arm most likely to be best (shape without arms)


def prior_from_history(
    successes: float, trials: float, *, weight: float = PRIOR_TRIALS
) -> tuple[float, float]:
    """A Beta prior centred on the brand's pooled rate, weighing at most ``weight`` trials.

    No history gives the flat Beta(1, 1).
    """
    if trials <= 0:
        return 1.0, 1.0
    rate = min(max(successes / trials, 1e-4), 1 - 1e-4)
    strength = min(trials, weight)
    return max(rate * strength, 0.5), max((1 - rate) * strength, 0.5)


def evaluate(
    successes: NDArray[np.float64] | list[float],
    trials: NDArray[np.float64] | list[float],
    *,
    prior: tuple[float, float] | NDArray[np.float64] = (1.0, 1.0),
    draws: int = DRAWS,
    rng: np.random.Generator | None = None,
) -> Evidence:
    """The evidence on every arm; ``prior`` is one (alpha, beta) or an array (..., 2)."""
    s = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    p = np.asarray(prior, dtype=np.float64)
    a0, b0 = p[..., 0:1], p[..., 1:2]  # broadcast over the arms
    alpha = a0 + s
    beta = b0 + np.maximum(n - s, 0.0)
    generator = rng if rng is not None else np.random.default_rng(SEED)
    samples = generator.beta(alpha[..., None], beta[..., None], size=(*alpha.shape, draws))
    best = samples.max(axis=-2, keepdims=True)  # (..., 1, draws)
    winner = samples.argmax(axis=-2)  # (..., draws)
    arms = alpha.shape[-1]
    p_best = (winner[..., None, :] == np.arange(arms)[:, None]).mean(axis=-1)
    leader = p_best.argmax(axis=-1)
    leader_samples = np.take_along_axis(samples, leader[..., None, None], axis=-2)
    below_leader = (samples < leader_samples).mean(axis=-1)
    # The leader itself: its chance to be worse than the best of the others.
    masked = np.where(np.arange(arms)[:, None] == leader[..., None, None], -np.inf, samples)
    others = masked.max(axis=-2)  # (..., draws)
    leader_below = (leader_samples[..., 0, :] < others).mean(axis=-1)
    np.put_along_axis(below_leader, leader[..., None], leader_below[..., None], axis=-1)
    return Evidence(
        successes=s,
        trials=n,
        mean=alpha / (alpha + beta),
        low=stats.beta.ppf(0.05, alpha, beta),
        high=stats.beta.ppf(0.95, alpha, beta),
        p_best=p_best,
        p_below_leader=below_leader,
        expected_loss=(best - samples).mean(axis=-1),
        leader=leader,
    )


def epsilon(prior: tuple[float, float] | NDArray[np.float64], rules: Rules) -> Floats:
    """ε, the expected loss a double down may still carry: a share of the prior mean."""
    p = np.asarray(prior, dtype=np.float64)
    return np.asarray(rules.loss_tolerance * p[..., 0] / (p[..., 0] + p[..., 1]))


def decide(
    evidence: Evidence,
    rules: Rules,
    *,
    prior: tuple[float, float] | NDArray[np.float64] = (1.0, 1.0),
    live: NDArray[np.bool_] | None = None,
) -> NDArray[np.str_]:
    """Each arm's verdict: ``"keep"``, ``"kill"`` or ``"double_down"`` (arms out already
    — ``live`` False — keep their last verdict outside; they get ``"kill"`` here)."""
    alive = np.ones(evidence.trials.shape, dtype=bool) if live is None else np.asarray(live)
    enough = evidence.trials >= rules.min_trials
    eps = epsilon(prior, rules)
    if eps.ndim:
        eps = eps[..., None]  # one ε per experiment, for each of its arms
    doubles = (
        alive & enough & (evidence.p_best > rules.best_threshold) & (evidence.expected_loss < eps)
    )
    kills = enough & (evidence.p_below_leader > rules.kill_threshold) & ~doubles
    verdict = np.full(evidence.trials.shape, KEEP, dtype="<U11")
    verdict[kills | ~alive] = KILL
    verdict[doubles] = DOUBLE_DOWN
    return verdict


def thompson_shares(
    successes: list[float],
    trials: list[float],
    *,
    prior: tuple[float, float] = (1.0, 1.0),
    floor: float = 0.1,
    draws: int = DRAWS,
    rng: np.random.Generator | None = None,
) -> list[float]:
    """The share of future slots each live arm gets: its chance to be best (Thompson
    sampling), with at least ``floor`` each so no live arm starves of data."""
    arms = len(successes)
    if arms == 0:
        return []
    floor = min(max(floor, 0.0), 1.0 / arms)
    evidence = evaluate(successes, trials, prior=prior, draws=draws, rng=rng)
    p_best = np.asarray(evidence.p_best, dtype=np.float64)
    shares = floor + (1.0 - floor * arms) * p_best
    return [float(x) for x in shares / shares.sum()]


def allocate(shares: list[float], slots: int) -> list[int]:
    """Slots per arm in proportion to ``shares`` (largest remainder; ties to the first arm),
    never fewer than one per arm with a positive share when there are enough slots."""
    if slots <= 0 or not shares:
        return [0] * len(shares)
    exact = [share * slots for share in shares]
    counts = [int(x) for x in exact]
    if slots >= len(shares):
        counts = [max(c, 1) if s > 0 else c for c, s in zip(counts, shares, strict=True)]
    while sum(counts) > slots:
        counts[max(range(len(counts)), key=lambda i: (counts[i] - exact[i], counts[i]))] -= 1
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: slots - sum(counts)]:
        counts[i] += 1
    return counts
