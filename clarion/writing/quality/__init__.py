"""Quality checks every draft passes in the writer ↔ reviewer loop, whatever the model.

The hard checks (``clarion.writing.checks``: length, call to action, banned terms, repeats) are
the publish gate. These checks judge the copy itself and, like the hard checks, run in code
after every review, so a model's "approve" cannot pass a draft that fails them:

=================  ==========================================================================
code               what it catches
=================  ==========================================================================
leaked_label       the plan's labels (pillar, angle, hook style, format) shown to readers
broken_grammar     patterns no correct sentence has ("notre que", "Découvrez adhérer")
cta_form           a call to action built in the wrong form ("Get your subscribe")
boilerplate        a sentence the brand already ran in one of its recent posts
count_mismatch     "3 reasons" followed by two
wrong_language     a draft, or a sentence, in another language than the brand's
guideline_dont     something the brand's don't list rules out
guideline_do       a do rule a post must follow ("mention freshness in every post")
stray_hashtag      a hashtag made of a stray word (#Decides)
verbatim_brand     a brand line pasted as a sentence
unsafe_link        a link nobody approved; unsafe_content: a request for passwords or the like
missing_poll       a poll slot without a poll; bad_poll: a poll a network cannot run
=================  ==========================================================================

Each issue carries the fix the writer receives (``"<fix code>: …"``), quoting what to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clarion.agents.schemas import BrandContext, Poll
from clarion.writing.quality.brief import BriefFields, read_brief
from clarion.writing.quality.counts import count_mismatches
from clarion.writing.quality.grammar import broken_patterns, cta_form_errors
from clarion.writing.quality.guidelines import guideline_issues
from clarion.writing.quality.hashtags import junk_hashtags
from clarion.writing.quality.issue import Issue
from clarion.writing.quality.labels import leaked_labels
from clarion.writing.quality.language import wrong_language
from clarion.writing.quality.material import brand_lines, unsafe_content, verbatim_lines
from clarion.writing.quality.poll import poll_issues
from clarion.writing.quality.repeats import boilerplate
from clarion.writing.quality.text import language_family

__all__ = ["QUALITY_CODES", "DraftContext", "Issue", "quality_issues", "read_brief"]

QUALITY_CODES = (
    "leaked_label", "broken_grammar", "cta_form", "boilerplate", "count_mismatch",
    "wrong_language", "guideline_dont", "guideline_do", "stray_hashtag", "verbatim_brand",
    "unsafe_link", "unsafe_content", "missing_poll", "bad_poll",
)  # fmt: skip
RECENT_POSTS = 20  # how many of the brand's latest posts count for boilerplate


@dataclass(frozen=True)
class DraftContext:
    """What a draft is judged against: its brief, brand, network, plan labels and history."""

    kind: str = "post"
    brief: str = ""
    brand: BrandContext | None = None
    platform: str | None = None
    angle: str = ""
    hook_style: str = ""
    recent_posts: Sequence[str] = ()
    allowed_links: Sequence[str] = ()
    own_domains: Sequence[str] = ()  # the brand's domains: links there need no approval

    @property
    def fields(self) -> BriefFields:
        return read_brief(self.brief)

    @property
    def lang(self) -> str:
        return language_family(self.brand.language if self.brand else "en")

    def labels(self) -> list[str]:
        return [*self.fields.labels(), self.angle, self.hook_style]

    def cta_targets(self) -> list[str]:
        targets = list(self.brand.cta_targets) if self.brand else []
        return [*targets, *([self.fields.cta] if self.fields.cta else [])]

    def brand_lines(self) -> list[str]:
        brand, fields = self.brand, self.fields
        others = [fields.objective, fields.goal]
        if brand is None:
            return brand_lines(others=others)
        return brand_lines(
            positioning=brand.positioning,
            audience=brand.target_audience,
            value_props=brand.value_props,
            guidelines=[*brand.guidelines_do, *brand.guidelines_dont],
            others=others,
        )


def quality_issues(text: str, context: DraftContext, poll: Poll | None = None) -> list[Issue]:
    """Everything wrong with ``text`` (and its poll) that code can see; empty means none."""
    if not text.strip():
        return []
    brand, fields, lang = context.brand, context.fields, context.lang
    issues = [
        *unsafe_content(
            text, [*context.allowed_links, *context.cta_targets()], context.own_domains
        ),
        *leaked_labels(text, context.labels()),
        *broken_patterns(text, lang),
        *cta_form_errors(text, context.cta_targets(), lang),
        *wrong_language(text, lang),
        *verbatim_lines(text, context.brand_lines()),
        *(
            boilerplate(text, list(context.recent_posts)[:RECENT_POSTS], context.cta_targets())
            if context.kind == "post"
            else []
        ),
        *junk_hashtags(text),
        *guideline_issues(
            text,
            do=[*(brand.guidelines_do if brand else []), *fields.do],
            dont=[*(brand.guidelines_dont if brand else []), *fields.dont],
            value_props=brand.value_props if brand else [],
            kind=context.kind,
        ),
    ]
    if context.kind == "post":
        issues += count_mismatches(text, lang)
        issues += poll_issues(
            poll, wanted=fields.wants_poll, platform=context.platform, labels=context.labels()
        )
    return _unique(issues)


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: dict[tuple[str, str], Issue] = {}
    for issue in issues:
        seen.setdefault((issue.code, issue.message), issue)
    return list(seen.values())
