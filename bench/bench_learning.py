"""Benchmark: how well experiment decisions pick the best arm, next to the seed's fixed rule.

Simulates arms with known engagement rates (scenarios below), each live arm shown to
200–2,000 people a day (uniform), for up to ``--days`` days, ``--runs`` experiments per
scenario. Every simulated day Clarion's decision rules (``clarion.analytics.bayes``:
Beta posteriors with a weak prior from the brand's history, kill when P(arm < leader) >
0.95 after the minimum sample, double down when P(best) > 0.95 and the expected loss < ε)
run on the data so far; a killed arm gets no more impressions; an experiment ends at its
first double down. The seed's fixed rule runs on the very same daily data: a day is a
success for an arm when its rate reaches the brand's usual rate, an arm is killed after 3
failures in a row, and doubled down on at 90 % successes after 5 days.

It prints, per scenario and rule: how often the best arm is doubled down on (chosen), how
often it is killed, how often another arm is doubled down on, how often nothing is decided
within the horizon, and the impressions and days a decision took. Targets: best chosen
≥ 95 %, best killed ≤ 5 %, and a double down at most 5 % of the time when all arms are equal.
They hold at the 30-day horizon; looking every day for longer raises the false double-down
rate of equal arms (about 10 % over 60 days at the default rules), as any repeated look does.

    python3 bench/bench_learning.py                 # 1,000 experiments per scenario, 30 days
    python3 bench/bench_learning.py --runs 200 --days 60 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clarion.analytics import bayes
from clarion.analytics.metrics import METRICS

SCENARIOS: dict[str, tuple[float, ...]] = {
    "4% / 5% / 7%": (0.04, 0.05, 0.07),
    "5% / 5.5% / 6% (close)": (0.05, 0.055, 0.06),
    "5% / 5% / 5% (all equal)": (0.05, 0.05, 0.05),
}
HISTORY_RATE = 0.05  # the brand's usual engagement rate: the prior's centre, the seed's bar
DAILY = (200, 2000)  # impressions per live arm per day


@dataclass
class Outcome:
    chosen: np.ndarray  # index of the arm doubled down on, −1 for none
    best_killed: np.ndarray  # bool
    days: np.ndarray  # day of the decision (horizon when none)
    samples: np.ndarray  # impressions spent on every arm until the decision


def simulate(
    rates: np.ndarray, runs: int, days: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    shown = rng.integers(DAILY[0], DAILY[1] + 1, size=(runs, len(rates), days)).astype(np.float64)
    engaged = rng.binomial(shown.astype(np.int64), rates[None, :, None]).astype(np.float64)
    return shown, engaged


def run_bayes(shown: np.ndarray, engaged: np.ndarray, best: int, rules: bayes.Rules) -> Outcome:
    runs, arms, days = shown.shape
    rng = np.random.default_rng(bayes.SEED)
    prior = np.tile(
        bayes.prior_from_history(HISTORY_RATE * 1e6, 1e6, weight=rules.prior_trials), (runs, 1)
    )
    s = np.zeros((runs, arms))
    n = np.zeros((runs, arms))
    live = np.ones((runs, arms), dtype=bool)
    open_ = np.ones(runs, dtype=bool)
    out = Outcome(
        np.full(runs, -1), np.zeros(runs, dtype=bool), np.full(runs, days), np.zeros(runs)
    )
    for day in range(days):
        grow = live & open_[:, None]
        s += np.where(grow, engaged[:, :, day], 0.0)
        n += np.where(grow, shown[:, :, day], 0.0)
        idx = np.flatnonzero(open_)
        if idx.size == 0:
            break
        ev = bayes.evaluate(s[idx], n[idx], prior=prior[idx], draws=2000, rng=rng)
        verdict = bayes.decide(ev, rules, prior=prior[idx], live=live[idx])
        live[idx] &= verdict != bayes.KILL
        out.best_killed[idx] |= ~live[idx, best]
        doubled = (verdict == bayes.DOUBLE_DOWN).any(axis=1)
        winners = np.where(doubled, (verdict == bayes.DOUBLE_DOWN).argmax(axis=1), -1)
        done = idx[doubled]
        out.chosen[done] = winners[doubled]
        out.days[done] = day + 1
        out.samples[done] = n[done].sum(axis=1)
        open_[done] = False
    still = open_
    out.samples[still] = n[still].sum(axis=1)
    return out


def run_seed_rule(shown: np.ndarray, engaged: np.ndarray, best: int) -> Outcome:
    runs, arms, days = shown.shape
    wins = np.zeros((runs, arms))
    tries = np.zeros((runs, arms))
    streak = np.zeros((runs, arms))
    n = np.zeros((runs, arms))
    live = np.ones((runs, arms), dtype=bool)
    open_ = np.ones(runs, dtype=bool)
    out = Outcome(
        np.full(runs, -1), np.zeros(runs, dtype=bool), np.full(runs, days), np.zeros(runs)
    )
    for day in range(days):
        grow = live & open_[:, None]
        success = engaged[:, :, day] / shown[:, :, day] >= HISTORY_RATE
        n += np.where(grow, shown[:, :, day], 0.0)
        tries += grow
        wins += grow & success
        streak = np.where(grow, np.where(success, 0, streak + 1), streak)
        live &= ~(grow & (streak >= 3))
        out.best_killed |= ~live[:, best]
        doubled = live & open_[:, None] & (tries >= 5) & (wins >= 0.9 * tries)
        any_double = doubled.any(axis=1)
        out.chosen[any_double] = doubled.argmax(axis=1)[any_double]
        out.days[any_double] = day + 1
        out.samples[any_double] = n[any_double].sum(axis=1)
        open_ &= ~any_double
    out.samples[open_] = n[open_].sum(axis=1)
    return out


def report(name: str, out: Outcome, best: int, equal: bool) -> str:
    decided = out.chosen >= 0
    chosen = (out.chosen == best).mean() * 100
    wrong = (decided & (out.chosen != best)).mean() * 100
    killed = out.best_killed.mean() * 100
    none = (~decided).mean() * 100
    days = np.median(out.days[decided]) if decided.any() else float("nan")
    samples = np.median(out.samples[decided]) if decided.any() else float("nan")
    if equal:
        head = f"double down {decided.mean() * 100:5.1f}%  (target ≤ 5%)  " + " " * 22
    else:
        head = (
            f"best chosen {chosen:5.1f}%  best killed {killed:5.1f}%  other doubled {wrong:4.1f}%"
        )
    return f"  {name:<12} {head}  undecided {none:5.1f}%  median {days:4.0f} days, {samples:8,.0f} impressions"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1000, help="simulated experiments per scenario")
    parser.add_argument("--days", type=int, default=30, help="horizon in days")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-trials", type=float, help="try another minimum sample per arm")
    parser.add_argument("--tolerance", type=float, help="try another ε (share of the usual rate)")
    parser.add_argument("--prior-trials", type=float, help="try another prior weight")
    args = parser.parse_args()
    rules = METRICS["engagement_rate"].rules
    rules = bayes.Rules(
        min_trials=rules.min_trials if args.min_trials is None else args.min_trials,
        loss_tolerance=rules.loss_tolerance if args.tolerance is None else args.tolerance,
        prior_trials=rules.prior_trials if args.prior_trials is None else args.prior_trials,
    )
    print(
        f"{args.runs} experiments per scenario, up to {args.days} days, {DAILY[0]}–{DAILY[1]} impressions "
        f"per arm per day; rules: minimum {rules.min_trials:,.0f} impressions per arm, "
        f"ε = {rules.loss_tolerance:.2%} of the usual rate, prior worth {rules.prior_trials:,.0f} impressions"
    )
    started = time.perf_counter()
    for label, values in SCENARIOS.items():
        rates = np.asarray(values)
        best = int(rates.argmax())
        equal = bool(np.all(rates == rates[0]))
        shown, engaged = simulate(rates, args.runs, args.days, np.random.default_rng(args.seed))
        print(f"{label}")
        print(report("Bayesian", run_bayes(shown, engaged, best, rules), best, equal))
        print(report("seed rule", run_seed_rule(shown, engaged, best), best, equal))
    print(f"took {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
