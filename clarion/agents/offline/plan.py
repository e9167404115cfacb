"""The plan behind a draft: every choice the writer makes, and how the reviewer's fixes change it.

The plan's labels (the angle, hook style, pillar and format of the slot) choose which frames
the writer uses; they never become words of the post. A fix names what to change, often
quoting it (“That's the Ledgerly difference.”): quoted sentences are never written again,
quoted hashtags are dropped, and codes such as ``shorten`` or ``add_cta`` change the plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from clarion.agents.offline.brief import _brief
from clarion.agents.offline.phrases import _FIX_KEYWORDS, _FIX_NOTES, _STYLE_KEYWORDS, STYLES
from clarion.agents.offline.text import _digest, _lang, _tone
from clarion.agents.schemas import WriteRequest
from clarion.writing.quality.brief import BriefFields, read_brief
from clarion.writing.quality.text import norm, sentences

ANGLE_FAMILIES = (
    ("tip", "tips"), ("conseil", "tips"), ("astuce", "tips"), ("practical", "tips"),
    ("pratique", "tips"), ("myth", "myth"), ("idées reçues", "myth"), ("idée reçue", "myth"),
    ("contrarian", "myth"), ("story", "story"), ("témoignage", "story"),
    ("customer", "story"), ("client", "story"), ("day in the life", "story"),
    ("journée", "story"), ("number", "numbers"), ("chiffre", "numbers"),
    ("statistic", "numbers"), ("proof", "numbers"), ("result", "numbers"),
    ("résultat", "numbers"), ("mistake", "mistakes"), ("erreur", "mistakes"),
    ("step", "steps"), ("étape", "steps"), ("pas à pas", "steps"), ("before", "before_after"),
    ("avant", "before_after"), ("lesson", "lessons"), ("leçon", "lessons"),
    ("learned", "lessons"), ("question", "faq"), ("faq", "faq"), ("trend", "trend"),
    ("tendance", "trend"), ("problem", "problem"), ("problème", "problem"),
    ("benefit", "benefit"), ("gain", "benefit"), ("launch", "launch"),
    ("lancement", "launch"), ("news", "launch"),
)  # fmt: skip
PILLAR_FAMILIES = {
    "education": "tips", "product": "benefit", "social_proof": "proof",
    "behind_the_scenes": "behind", "community": "community", "thought_leadership": "thought",
}  # fmt: skip
NEW_FIX_NOTES = {
    "remove_label": "dropped the plan's labels",
    "fix_grammar": "rewrote the broken sentences",
    "fix_cta": "rebuilt the call to action",
    "rewrite_sentence": "replaced sentences used in recent posts",
    "fix_count": "matched the list to its number",
    "use_language": "wrote it all in the brand's language",
    "follow_guideline": "followed the brand's guidelines",
    "fix_hashtags": "fixed the hashtags",
    "rephrase_brand": "rephrased the brand lines",
    "remove_link": "removed the unapproved link",
    "add_poll": "added the poll",
    "fix_poll": "fixed the poll",
}
_QUOTED = re.compile(r"[“\"«]\s*([^”\"»]+?)\s*[”\"»]")


@dataclass(frozen=True)
class Plan:
    """Every choice behind one draft; fixes and retries change it with ``replace``."""

    lang: str
    tone: str
    style: str
    family: str
    angle: str
    key: int  # the request's identity without the turn
    vkey: int  # the same without the variant, so variants can be offset from each other
    vidx: int
    tkey: int  # the identity with the turn
    fields: BriefFields
    labels: tuple[str, ...] = ()
    salt: int = 0
    compact: bool = False
    hook_bump: int = 0
    force: frozenset[str] = frozenset()
    avoid: tuple[str, ...] = ()
    avoid_sentences: frozenset[str] = frozenset()
    avoid_tags: frozenset[str] = frozenset()
    # sentence -> how many posts back it last ran (0: the newest of the recent posts)
    last_ran: Mapping[str, int] = field(default_factory=dict)
    # the newest of the brand's recent posts, as a number (0 when the writer has not seen
    # them): posts written side by side from the same recent posts share it
    horizon: int = 0

    def pick(self, move: str, count: int, *, turn: bool = False) -> int:
        """A stable starting index among ``count`` options for ``move``."""
        base = self.tkey if turn else self.key
        return (_digest(base, move) + self.salt) % max(1, count)


def style_from(text: str | None) -> str | None:
    lowered = (text or "").lower()
    return next(
        (style for word, style in _STYLE_KEYWORDS if re.search(rf"\b{word}", lowered)), None
    )


def family_from(angle: str, pillar: str) -> str:
    lowered = angle.lower()
    found = next((family for word, family in ANGLE_FAMILIES if word in lowered), "")
    return found or PILLAR_FAMILIES.get(pillar.strip().lower(), "benefit")


def make_plan(req: WriteRequest) -> Plan:
    fields = read_brief(req.brief)
    ident = [req.kind, req.seed, req.angle, req.hook_style, req.platform, req.brief]
    vkey = _digest(*ident)
    variant = (req.variant or "A").strip().upper()
    vidx = (
        ord(variant) - ord("A") if len(variant) == 1 and variant.isalpha() else _digest(variant) % 7
    )
    key = _digest(vkey, req.variant)
    intent = _brief(fields.subject).intent if fields.subject else ""
    style = (
        style_from(req.hook_style or fields.hook)
        or {"announce": "announcement", "explain": "explainer"}.get(intent)
        or style_from(req.angle)
        or STYLES[(vkey + vidx) % len(STYLES)]
    )
    angle = (req.angle or fields.angle or "").strip()[:200]
    labels = tuple(x for x in (*fields.labels(), req.angle or "", req.hook_style or "") if x)
    return Plan(
        lang=_lang(req.brand),
        tone=_tone(req.brand),
        style=style,
        family=family_from(angle or (req.hook_style or ""), fields.pillar),
        angle=angle or style,
        key=key,
        vkey=vkey,
        vidx=vidx,
        tkey=_digest(key, req.turn),
        fields=fields,
        labels=labels,
    )


def fix_code(fix: str) -> str:
    head = fix.split(":", 1)[0].strip().lower()
    if head in _FIX_NOTES or head in NEW_FIX_NOTES:
        return head
    lowered = fix.lower()
    return next((code for word, code in _FIX_KEYWORDS if word in lowered), "")


def apply_fixes(
    plan: Plan,
    fixes: Sequence[str],
    previous_drafts: Sequence[str] = (),
    recent_posts: Sequence[str] = (),
) -> tuple[Plan, list[str]]:
    """The plan with the reviewer's fixes applied, and notes saying what changed.

    Sentences of the brand's recent posts (shared with a revision) are never written again."""
    codes = [fix_code(f) for f in fixes]
    quoted = [q for f in fixes for q in _QUOTED.findall(f)]
    terms = [q for f, c in zip(fixes, codes, strict=True) if c == "remove_term"
             for q in _QUOTED.findall(f)]  # fmt: skip
    avoid_sentences = {norm(s) for q in quoted for s in [q, *sentences(q)] if len(q) > 12}
    if len(previous_drafts) > 1:  # sentences dropped from an earlier draft stay dropped
        last = {norm(s) for s in sentences(previous_drafts[-1])}
        for draft in previous_drafts[:-1]:
            avoid_sentences |= {norm(s) for s in sentences(draft)} - last
    last_ran = dict(plan.last_ran)
    for age, post in enumerate(recent_posts):  # newest first
        for key in (norm(s) for s in sentences(post) if len(s.split()) >= 3):
            avoid_sentences.add(key)
            last_ran.setdefault(key, age)
    tags = {q.lower() for q in re.findall(r"#\w+", " ".join(fixes)) if "fix_hashtags" in codes
            or "remove_label" in codes}  # fmt: skip
    force = {
        name
        for code, name in (
            ("mention_audience", "audience"),
            ("mention_brand", "brand"),
            ("add_cta", "cta"),
            ("follow_guideline", "rules"),
            ("add_poll", "poll"),
        )
        if code in codes
    }
    plan = replace(
        plan,
        compact=plan.compact or "shorten" in codes or "clarify" in codes,
        hook_bump=1 if "stronger_hook" in codes else 0,
        salt=plan.salt + (3 if "rewrite" in codes else 0),
        force=plan.force | force,
        avoid=(*plan.avoid, *terms),
        avoid_sentences=plan.avoid_sentences | frozenset(avoid_sentences),
        avoid_tags=plan.avoid_tags | frozenset(tags),
        last_ran=last_ran,
        horizon=_digest(norm(recent_posts[0])) if recent_posts else plan.horizon,
    )
    notes = [_FIX_NOTES.get(c) or NEW_FIX_NOTES.get(c, "") for c in dict.fromkeys(codes) if c]
    return plan, [n for n in notes if n]
