"""Polls: a poll slot gets a real poll, and a poll is one a network can run."""

from __future__ import annotations

from collections.abc import Iterable

from clarion.agents.schemas import POLL_OPTION_CHARS, POLL_QUESTION_CHARS, Poll
from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.labels import leaked_labels
from clarion.writing.quality.text import norm

POLL_NETWORKS = ("X", "LinkedIn", "Mastodon")


def poll_issues(
    poll: Poll | None, *, wanted: bool, platform: str | None, labels: Iterable[str] = ()
) -> list[Issue]:
    if poll is None:
        if wanted and platform in POLL_NETWORKS:
            return [
                Issue(
                    "missing_poll",
                    "The slot is a poll, but the draft has no poll.",
                    "add_poll: add a poll: one question and 2 to 4 short options "
                    f"(at most {POLL_OPTION_CHARS} characters each).",
                )
            ]
        return []
    problems: list[str] = []
    if platform is not None and platform not in POLL_NETWORKS:
        problems.append(f"{platform} cannot run polls")
    if not 2 <= len(poll.options) <= 4:
        problems.append(f"{len(poll.options)} options (2 to 4 are allowed)")
    long = [o for o in poll.options if len(o) > POLL_OPTION_CHARS or not o.strip()]
    if long:
        problems.append(f"options over {POLL_OPTION_CHARS} characters or empty: {long}")
    if len({norm(o) for o in poll.options}) != len(poll.options):
        problems.append("two options say the same thing")
    if not poll.question.strip().endswith("?") or len(poll.question) > POLL_QUESTION_CHARS:
        problems.append("the question must be a question of at most 140 characters")
    leaks = leaked_labels("\n".join([poll.question, *poll.options]), labels)
    problems += [leak.message for leak in leaks]
    if not problems:
        return []
    return [
        Issue(
            "bad_poll",
            f"The poll {quoted(poll.question)} cannot run as it is: " + "; ".join(problems) + ".",
            "fix_poll: " + "; ".join(problems) + ".",
        )
    ]
