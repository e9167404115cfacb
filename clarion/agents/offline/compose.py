"""Composing a post: a hook, one idea, the brand's benefits, a call to action, hashtags.

A post is a list of segments, each a sentence built from a frame of the language's copybook
(``english`` or ``french``) and tagged with how readily it can be dropped to fit the network.
The slot's hook style picks the hook frames, its angle (or pillar) the body frames; value
propositions go into frames made for their form; a list promises exactly as many items as it
holds; a poll slot gets a question with two to four options. Every choice starts from a digest
of the request, and skips what the plan rules out: sentences the reviewer quoted, banned terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import get_args

from clarion.agents.offline.copybook import Copybook, render
from clarion.agents.offline.english import ENGLISH
from clarion.agents.offline.french import FRENCH
from clarion.agents.offline.grammar import (
    Phrase,
    en_gerund,
    fr_article,
    fr_de,
    fr_to_reader,
    shorten,
    third_person,
)
from clarion.agents.offline.layout import (
    Seg,
    _fr_a,
    _fr_un,
    _with_leads,
    assemble,
    fit,
    polish,
)
from clarion.agents.offline.material import Cta, Material
from clarion.agents.offline.plan import Plan
from clarion.agents.offline.tags import PER_NETWORK, hashtags
from clarion.agents.offline.text import _cap, _digest
from clarion.agents.offline.topic import Topic
from clarion.agents.schemas import POLL_OPTION_CHARS, PlatformName, Poll, WriteRequest
from clarion.writing.quality.material import brand_lines, verbatim_lines
from clarion.writing.quality.poll import POLL_NETWORKS
from clarion.writing.quality.text import mentions, norm, sentences

COPYBOOKS = {"en": ENGLISH, "fr": FRENCH}
SHORT = ("X", "Bluesky")
NETWORKS: tuple[str, ...] = get_args(PlatformName)
# A frame where the audience is spoken of ("Why do remote workers care about …"), and the
# reader's words a phrase after it must lose ("your subscription" -> "their subscription").
_THIRD_PERSON_FRAME = re.compile(r"\{(?:[Aa]udience|de_audience)\}")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|you're|vous|votre|vos)\b", re.I)
_READER_SLOTS = ("audience", "de_audience", "brand", "action", "x", "category", "un_category")


@dataclass(frozen=True)
class Post:
    text: str
    poll: Poll | None = None


def _opening(line: str) -> str:
    return " ".join(norm(line).split()[:3])


class Writer:
    """One post in the making: the request, its plan, the brand's material and the topic."""

    def __init__(self, req: WriteRequest, plan: Plan, mat: Material, topic: Topic) -> None:
        self.req, self.plan, self.mat, self.topic = req, plan, mat, topic
        self.copy: Copybook = COPYBOOKS.get(mat.lang, ENGLISH)
        self.slots = self._slots()
        self.lane = NETWORKS.index(req.platform) if req.platform in NETWORKS else 0
        brand = req.brand
        self.brand_lines = (
            brand_lines(positioning=brand.positioning, audience=brand.target_audience)
            if brand
            else []
        )

    # --- slots ---

    def _slots(self) -> dict[str, str]:
        mat, topic, lang = self.mat, self.topic, self.mat.lang
        subject = topic.subject or self.copy.words["subject_default"]
        audience = topic.audience or mat.audience
        if lang == "fr" and topic.audience:
            audience = " et ".join(fr_article(p, True) for p in re.split(r"\s+et\s+", audience))
        slots = {
            "brand": mat.brand,
            "subject": subject,
            "audience": audience,
            "category": mat.category,
            "fresh": re.sub(r"^(?:our|the|your)\s+", "", re.sub(r"\bnew\s+", "", subject)),
            "wh": topic.wh,
            "clause": topic.clause,
        }
        if lang == "fr":
            with_article = subject
            if topic.kind == "thing":
                with_article = (
                    f"{topic.det} {subject}".replace("l' ", "l'")
                    if topic.det
                    else fr_article(subject, topic.plural)
                )
            slots["le_subject"] = with_article
            slots["de_subject"] = fr_de(with_article)
            slots["a_subject"] = (
                "à " + with_article if topic.kind == "action" else _fr_a(with_article)
            )
            slots["fresh"] = re.sub(r"\b(?:nouveau|nouvelle|nouvel)\s+", "", with_article)
            if audience:  # "des cyclistes du quotidien et des familles de Nantes"
                parts = re.split(r"\s+et\s+", audience)
                slots["de_audience"] = " et ".join(fr_de(p) for p in parts)
            if mat.category:
                slots["un_category"] = _fr_un(mat.category, mat.category_plural)
        return slots

    def _prop_slots(self, prop: Phrase) -> dict[str, str]:
        lang, text = self.mat.lang, prop.text
        slots = {"p": text}
        if prop.form == "thing":
            slots["p_np"] = text
        elif prop.form == "quality" and self.mat.category:
            slots["p_np"] = f"{self.mat.category} {text}"
        elif prop.form == "action":
            slots["p"] = fr_to_reader(text) if lang == "fr" else text
            slots["p_np"] = slots["p"] if lang == "fr" else en_gerund(text)
        if lang == "fr":
            if prop.form == "thing":
                slots["le_p"] = fr_article(text, prop.plural)
                slots["de_p"] = fr_de(slots["le_p"])
                slots["a_p"] = _fr_a(slots["le_p"])
            if "p_np" in slots:
                slots["le_p_np"] = (
                    fr_article(slots["p_np"], prop.plural) if prop.form == "thing" else
                    slots["p_np"]
                )  # fmt: skip
        return slots

    # --- choosing frames ---

    def _ok(self, text: str) -> bool:
        """Whether ``text`` may be written: nothing the plan rules out, no brand line pasted."""
        if not text:
            return False
        said = [norm(s) for s in sentences(text)]
        if any(s in self.plan.avoid_sentences for s in said):
            return False
        return not verbatim_lines(text, self.brand_lines)

    def choose(
        self,
        move: str,
        frames: Sequence[str],
        extra: dict[str, str] | None = None,
        *,
        prop: Phrase | None = None,
        turn: bool = False,
        bump: int = 0,
        fallback: bool = False,
        prefer_brand: bool = False,
    ) -> str:
        """The first frame of ``frames`` (from the move's own start) that renders and is allowed;
        with ``fallback``, when every one is ruled out, one of the two whose sentences ran
        longest ago (two, so posts written side by side from the same recent posts differ)."""
        slots = {**self.slots, **(extra or {})}
        if self.plan.horizon:  # a revision: frames in an order the day's posts share, each
            share = self.lane * len(frames) // len(NETWORKS)  # network starting at its own
            start = _digest(self.plan.horizon, move) + share + self.plan.salt + bump
        else:
            start = self.plan.pick(move, len(frames), turn=turn) + bump
        rendered: list[str] = []
        order = [frames[(start + offset) % len(frames)] for offset in range(len(frames))]
        if prefer_brand:
            order.sort(key=lambda f: "rand}" not in f)
        for frame in order:
            text = render(
                frame,
                self._third_person(frame, slots),
                lang=self.mat.lang,
                plural=self.topic.plural,
                prop_plural=bool(prop and prop.plural),
                kind=self.topic.kind,
            )
            text = polish(text, self.mat.lang, self.plan.avoid) if text else ""
            if self._ok(text):
                return text
            if text:
                rendered.append(text)
        if not fallback or not rendered:
            return ""
        clean = [t for t in rendered if not verbatim_lines(t, self.brand_lines)] or rendered
        oldest = sorted(clean, key=self._last_ran, reverse=True)[:2]
        return next(t for t in clean if t in oldest)

    def _third_person(self, frame: str, slots: dict[str, str]) -> dict[str, str]:
        """``slots`` with the reader's "your" turned into "their" in the phrases of a frame that
        speaks of the audience in the third person."""
        if not _THIRD_PERSON_FRAME.search(frame):
            return slots
        changed = {
            name: third_person(value, self.mat.lang)
            for name, value in slots.items()
            if name not in _READER_SLOTS and _SECOND_PERSON.search(value)
        }
        return {**slots, **changed} if changed else slots

    def _last_ran(self, text: str) -> int:
        """How many posts back the most recent of ``text``'s ruled-out sentences ran: -1 for
        one the reviewer quoted, a large number when none is ruled out."""
        ages = [
            self.plan.last_ran.get(key, -1)
            for key in (norm(s) for s in sentences(text))
            if key in self.plan.avoid_sentences
        ]
        return min(ages, default=1_000)

    # --- moves ---

    def hook(self) -> str:
        topic = self.topic
        if topic.question and not self.wants_poll:
            question = polish(topic.question, self.mat.lang, self.plan.avoid)
            if self._ok(question):
                return question
        style = self.plan.style
        if topic.intent == "explain" and topic.wh:
            style = "explainer"  # a "why …" clause reads only as an explainer
        if style == "statistic" and len(self.list_props()) < 2:
            style = "bold claim"
        frames = self.copy.hooks.get(style) or self.copy.hooks["question"]
        extra = {"N": str(len(self.list_props()))} if style == "statistic" else {}
        if topic.focus and style not in ("statistic", "announcement", "explainer"):
            headline = "{Le_subject} : {focus}." if self.mat.lang == "fr" else "{Subject}: {focus}."
            frames = (*frames, headline)
            extra["focus"] = topic.focus
        text = self.choose(
            "hook:" + style,
            frames,
            extra,
            bump=self.plan.hook_bump,
            prefer_brand=self.needs_brand(""),
        )
        return text or self.choose("hook:bold", self.copy.hooks["bold claim"], fallback=True)

    @property
    def listing(self) -> bool:
        return self.plan.style == "statistic" and len(self.list_props()) >= 2 and not (
            self.topic.intent in ("explain", "announce") or (self.topic.question and
                                                             not self.wants_poll)
        )  # fmt: skip

    @property
    def wants_poll(self) -> bool:
        wanted = self.plan.fields.wants_poll or "poll" in self.plan.force
        return wanted and self.req.platform in POLL_NETWORKS

    def ordered_props(self) -> list[Phrase]:
        """Value propositions for this post: the one about the subject first, then the ones a
        brand rule needs, then the others from the request's digest."""
        subject = norm(self.topic.subject)
        props = [p for p in self.mat.props if norm(p.text) not in subject]
        start = self.plan.pick("props", len(props)) if props else 0
        props = props[start:] + props[:start]
        needed = [w for rule in self.mat.rules if not rule.abstract for w in rule.choices]
        if _digest(self.plan.key, "rule-prop") % 2:  # half the time a rule line says it instead
            needed = []
        about = [w for w in re.findall(r"\w+", subject) if len(w) >= 4]
        props.sort(
            key=lambda p: (
                not (about and mentions(p.text, about)),
                not (needed and mentions(p.text, needed)),
            )
        )
        return props

    def list_props(self) -> list[Phrase]:
        props = self.ordered_props()
        limit = 2 if self.req.platform in SHORT else 3
        return props[:limit]

    def list_items(self) -> list[str]:
        items: list[str] = []
        short = self.req.platform in SHORT
        for index, prop in enumerate(self.list_props()):
            frames = self.copy.items.get(prop.form) or self.copy.items["thing"]
            slots = self._prop_slots(prop)
            if short and prop.form in ("thing", "quality", "action"):
                label = shorten(slots.get("p", prop.text), 34, self.mat.lang, prop.form)
                slots = {**slots, "p": label or slots["p"]}
                if self.mat.lang == "fr" and prop.form == "thing" and label:
                    slots["le_p"] = fr_article(label, prop.plural)
            item = self.choose("item", frames, slots, prop=prop, bump=index).rstrip(".")
            if item:
                items.append(item)
        return items

    def benefits(self, count: int) -> list[str]:
        lines: list[str] = []
        props = self.ordered_props()[:count]
        if len(props) == 2 and all(p.form == "quality" for p in props):
            slots = {**self._prop_slots(props[0]), "p2": props[1].text}
            frames = _with_leads(self.copy.benefits.get("pair", ()), self.copy.leads)
            line = self.choose("benefit-pair", frames, slots, prop=props[0])
            if line:
                return [line]
        for index, prop in enumerate(props):
            leads = self.copy.leads if index == 0 else self.copy.more_leads
            frames = _with_leads(self.copy.benefits.get(prop.form) or (), leads)
            named = self.needs_brand(" ".join(lines)) if index == 0 else False
            line = ""
            for bump in range(3):  # two benefits never open the same way ("Et bien sûr : …")
                line = self.choose(
                    f"benefit{index}", frames, self._prop_slots(prop), prop=prop,
                    prefer_brand=named, bump=bump,
                )  # fmt: skip
                if not any(_opening(line) == _opening(x) for x in lines):
                    break
            if line and norm(line) not in {norm(x) for x in lines}:
                lines.append(line)
        return lines

    def needs_brand(self, draft: str) -> bool:
        """Whether the brand still has to be named: a network without hashtags (the tags name
        it elsewhere), or a reviewer who asked, and ``draft`` does not name it yet."""
        brand = self.mat.brand
        if not brand or brand.lower() in draft.lower():
            return False
        return "brand" in self.plan.force or not PER_NETWORK.get(self.req.platform or "", 0)

    def body(self) -> str:
        family = self.plan.family
        if self.topic.intent == "announce":
            family = "launch"
        frames = self.copy.bodies.get(family) or self.copy.bodies["benefit"]
        extra: dict[str, str] = {}
        props = self.ordered_props()
        if props:
            extra = self._prop_slots(props[-1])
        return self.choose("body:" + family, frames, extra)

    def audience_line(self) -> str:
        return self.choose("audience", self.copy.audience)

    def rule_lines(self, draft: str) -> list[str]:
        """A line for each per-post brand rule ``draft`` does not follow yet: a rule frame; when
        every one ran lately, an audience line that names what the rule asks for ("busy
        professionals and beginners"); at worst a rule frame used before."""
        lines: list[str] = []
        for rule in self.mat.rules:
            words = [w for c in rule.choices for w in c.split()]
            if rule.abstract or mentions(" ".join([draft, *lines]), words):
                continue
            verb = "welcome" if rule.verb in ("welcome", "accueillir") else "mention"
            choice = rule.choices[_digest(self.plan.key, "rule") % len(rule.choices)]
            frames = self.copy.rules[verb]
            said = {"x": choice}
            if self.mat.lang == "fr":
                said["le_x"] = fr_article(choice, choice.split()[0].endswith(("s", "x")))
                said["de_x"] = fr_de(said["le_x"])
                said["a_x"] = _fr_a(said["le_x"])
            line = self.choose("rule:" + verb, frames, said)
            if not line and mentions(self.slots["audience"], words):
                line = self.audience_line()
            line = line or self.choose("rule:" + verb, frames, said, fallback=True)
            if line:
                lines.append(line)
        return lines

    def cta(self) -> Cta:
        ctas = self.mat.ctas
        slot_cta = self.plan.fields.cta.strip().lower()
        if slot_cta and ctas and ctas[0].target.lower() == slot_cta:
            return ctas[0]
        return ctas[_digest(self.plan.key, "cta-target", self.plan.salt) % len(ctas)]

    def cta_line(self) -> str:
        """The call to action: the slot's target first, another target if every way of saying
        the first was used lately, and at worst the way of saying the first (the bare action,
        "Book a demo.", among them) that ran longest ago."""
        chosen = self.cta()
        for cta in (chosen, *(c for c in self.mat.ctas if c != chosen)):
            line = self.choose("cta", self._cta_frames(cta), {"action": cta.action}, turn=True)
            if line:
                return line
        if chosen.form == "infinitive":
            bare = "N'hésitez pas à {action}." if self.mat.lang == "fr" else "Come and {action}."
        else:
            bare = "{Action}" if chosen.form == "link" else "{Action}."
        frames = (*self._cta_frames(chosen), bare)
        line = self.choose("cta", frames, {"action": chosen.action}, turn=True, fallback=True)
        return line or polish(bare.format(Action=_cap(chosen.action), action=chosen.action),
                              self.mat.lang, self.plan.avoid)  # fmt: skip

    def _cta_frames(self, cta: Cta) -> tuple[str, ...]:
        group = {"link": "link", "infinitive": "infinitive"}.get(cta.form)
        if group is None:
            group = "transactional" if cta.transactional else "plain"
        return self.copy.ctas.get(group) or self.copy.ctas["plain"]

    def tags(self) -> str:
        count = PER_NETWORK.get(self.req.platform or "", 0)
        if not count:
            return ""
        found = hashtags(
            self.mat, self.topic.subject, labels=self.plan.labels, avoid=self.plan.avoid
        )
        found = [t for t in found if t.lower() not in self.plan.avoid_tags]
        return " ".join(found[:count])

    def poll(self) -> tuple[Poll | None, str]:
        """The poll of a poll slot and its question as said in the post."""
        if not self.wants_poll:
            return None, ""
        mat, copy = self.mat, self.copy
        question = self.topic.question
        options = [o for o in (self._option(p) for p in self.ordered_props()) if o]
        options = list(dict.fromkeys(options))[:4]
        kind = "props" if len(options) >= 2 else "stand"
        if question and re.search(r"\b(?:tried|essayé)\b", question, re.I):
            kind = "yes"
        elif question and re.search(r"\b(?:true or false|vrai ou faux)\b", question, re.I):
            kind = "truefalse"
        if not question or len(question) > 140:
            frames = copy.poll_questions[kind]
            question = self.choose("poll-question", frames)
            if not question:
                kind = "stand" if kind == "props" else kind
                question = self.choose("poll-question", copy.poll_questions["yes"]) or (
                    "Qu'en pensez-vous ?" if mat.lang == "fr" else "What do you think?"
                )
                kind = "yes" if "question" not in kind else kind
        if kind != "props" or len(options) < 2:
            options = list(copy.poll_options.get(kind, copy.poll_options["stand"]))
        return Poll(question=question[:140], options=options[:4]), question

    def _option(self, prop: Phrase) -> str:
        text = prop.text
        if prop.form == "action" and self.mat.lang == "fr":
            text = fr_to_reader(text)
        label = shorten(text, POLL_OPTION_CHARS, self.mat.lang, prop.form)
        if prop.form != "thing" and len(label.split()) < 2:
            return ""
        return label[:1].upper() + label[1:] if label else ""

    # --- the post ---

    def segments(self) -> tuple[list[Seg], Poll | None]:
        plan, platform = self.plan, self.req.platform
        short = platform in SHORT
        segs: list[Seg] = []
        poll, question = self.poll()
        if poll is not None:
            intro = self.choose("poll-intro", self.copy.poll_intros)
            segs.append(Seg(f"{intro}\n{question}" if intro else question, 0, -1))
            vote = self.choose("poll-vote", self.copy.poll_votes)
            if vote:
                segs.append(Seg(vote, 2, 2))
        listed = False
        if poll is None:
            hook = self.hook()
            if hook.endswith(":"):
                items = self.list_items() if self.listing else []
                if items and len(items) == len(self.list_props()):
                    hook = hook + "\n" + "\n".join(f"• {i}" for i in items)
                    listed = True
                else:
                    hook = self.choose("hook:bold", self.copy.hooks["bold claim"])
            segs.append(Seg(hook, 0, -1))
        body = self.body()
        if body and not (short and poll is not None):
            segs.append(Seg(body, 1, 3 if short else 2))
        if not listed:
            count = 1 if short or plan.compact or platform == "Mastodon" else 2
            for index, line in enumerate(self.benefits(count)):
                segs.append(Seg(line, 1, 1 if index == 0 else 4))
        draft = " ".join(s.text for s in segs)
        if self.needs_brand(draft):
            named = tuple(f for f in self.copy.bodies["proof"] if "rand}" in f)
            line = self.choose("brand", named, fallback=True)
            if line and self.mat.brand.lower() in line.lower():
                segs.append(Seg(line, 1, 0))
                draft += " " + line
        audience, forced = self.slots["audience"], "audience" in plan.force
        unnamed = bool(audience) and not mentions(draft, audience.split()[-2:])
        if audience and (forced or (unnamed and not short)):
            line = self.audience_line()
            if line:
                segs.append(Seg(line, 1, 0 if forced else 3))
        for line in self.rule_lines(" ".join(s.text for s in segs)):
            segs.append(Seg(line, 1, -1))  # the brand's rules are kept whatever the length
        needs_cta = self.req.require_cta or "cta" in plan.force
        cta = self.cta_line()
        if cta:
            segs.append(Seg(cta, 3, -1 if needs_cta else 1))
        tags = self.tags()
        if tags:
            segs.append(Seg(tags, 4, 6))
        unique: dict[str, Seg] = {}
        for seg in segs:
            if seg.text.strip():
                unique.setdefault(norm(seg.text), seg)
        return list(unique.values()), poll


def compose_post(req: WriteRequest, plan: Plan, mat: Material, topic: Topic) -> Post:
    writer = Writer(req, plan, mat, topic)
    segs, poll = writer.segments()
    text = fit(segs, req)
    if len(text) < 0.5 * len(assemble(segs, req.platform)) and not plan.compact:
        segs, poll = Writer(req, replace(plan, compact=True), mat, topic).segments()
        text = fit(segs, req)
    return Post(text, poll)
