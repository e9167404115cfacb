"""Brand text pasted verbatim, and links or requests for secrets that must never be published."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from clarion.core.links import is_own_host
from clarion.writing.quality.issue import Issue, quoted
from clarion.writing.quality.text import URL, norm, sentences, words

RUN = 8  # this many words in a row from a brand line is a pasted line
_SECRETS = re.compile(
    r"\b(?:passwords?|passcodes?|pin codes?|mots? de passe|credit card numbers?|card details|"
    r"numéro de carte|bank details|coordonnées bancaires|login details|identifiants|"
    r"social security)\b",
    re.IGNORECASE,
)


def brand_lines(
    *,
    positioning: str = "",
    audience: str = "",
    value_props: Sequence[str] = (),
    guidelines: Sequence[str] = (),
    others: Sequence[str] = (),
) -> list[str]:
    """The brand's text as separate lines: each sentence of the positioning, each list item."""
    lines = [s for s in re.split(r"(?<=[.!?])\s+", positioning) if s.strip()]
    lines += [audience, *value_props, *guidelines, *others]
    return [line.strip() for line in lines if line and line.strip()]


def verbatim_lines(text: str, lines: Iterable[str]) -> list[Issue]:
    """Sentences that are a brand line, or carry ``RUN`` words in a row of one."""
    issues: list[Issue] = []
    keys = [(line, norm(line), words(line)) for line in lines]
    for sentence in sentences(text):
        key, said = norm(sentence), words(sentence)
        for line, line_key, line_words in keys:
            same = key == line_key and len(line_words) >= 2
            run = len(line_words) >= RUN and _shares_run(said, line_words)
            if same or run:
                issues.append(
                    Issue(
                        "verbatim_brand",
                        f"{quoted(sentence)} pastes the brand line {quoted(line)}.",
                        f"rephrase_brand: say {quoted(sentence, 200)} in new words; brand lines "
                        "are material, not copy.",
                    )
                )
                break
    return issues


def _shares_run(said: list[str], line: list[str]) -> bool:
    runs = {tuple(line[i : i + RUN]) for i in range(len(line) - RUN + 1)}
    return any(tuple(said[i : i + RUN]) in runs for i in range(len(said) - RUN + 1))


def unsafe_content(
    text: str, allowed_links: Iterable[str] = (), own_domains: Iterable[str] = ()
) -> list[Issue]:
    """Links or addresses nobody approved (the brand's own domains are approved), and
    requests for passwords or payment details."""
    allowed = " ".join(allowed_links).lower()
    domains = list(own_domains)
    issues: list[Issue] = []
    for match in URL.finditer(text):
        link = match.group(0).rstrip(".,;:!?")
        host = urlsplit(link if "://" in link else f"https://{link}").hostname or ""
        if link.lower() not in allowed and not (domains and is_own_host(host, domains)):
            issues.append(
                Issue(
                    "unsafe_link",
                    f"The link {quoted(link)} is not one of the brand's calls to action.",
                    f"remove_link: drop {quoted(link)}; link only to the brand's CTA targets.",
                )
            )
    secret = _SECRETS.search(text)
    if secret:
        issues.append(
            Issue(
                "unsafe_content",
                f"The draft asks for {quoted(secret.group(0))}: never ask readers for secrets.",
                f"remove_link: drop every sentence about {quoted(secret.group(0))}.",
            )
        )
    return issues
