"""Slogans: one short line about the subject, with the brand's name and, when asked, a call to action."""

from __future__ import annotations

import re

from clarion.agents.offline.brief import _until
from clarion.agents.offline.compose import COPYBOOKS
from clarion.agents.offline.copybook import render
from clarion.agents.offline.layout import polish
from clarion.agents.offline.material import Material
from clarion.agents.offline.phrases import _NEW, _STOP, _TONES, SLOGANS
from clarion.agents.offline.plan import Plan
from clarion.agents.offline.text import _pick, _within
from clarion.agents.offline.topic import Topic
from clarion.agents.schemas import WriteRequest
from clarion.writing.quality.text import norm, sentences


def _short(subject: str) -> str:
    words = _NEW.sub("", re.sub(r"^(?:our|the|your|their|notre|votre)\s+", "", subject)).split()
    words = _until(words, _STOP)[:4] if len(words) > 4 else words
    return " ".join(words).rstrip(" ,:-")


def compose_slogan(req: WriteRequest, plan: Plan, mat: Material, topic: Topic) -> str:
    lang = mat.lang
    tables = SLOGANS[lang]
    manners = _TONES[lang][plan.tone][1]
    benefits = [
        p.text for p in mat.props if p.form in ("quality", "thing") and len(p.text.split()) <= 6
    ]
    subject = topic.subject or COPYBOOKS[lang].words["subject_default"]
    short = _short(subject) or subject
    slots = {
        "short": short,
        "topic": subject,
        "brand": mat.brand,
        "manner": _pick(manners, plan.key, "manner", plan.salt),
        "benefit": _pick(benefits, plan.key, "benefit", plan.salt) if benefits else "",
        "audience": mat.audience,
    }
    frames = tables["brand"] if mat.brand else tables["nobrand"]
    start = plan.vkey + plan.vidx + plan.salt + plan.hook_bump
    line = first = ""
    for offset in range(len(frames)):
        candidate = render(frames[(start + offset) % len(frames)], slots, lang=lang)
        candidate = polish(candidate, lang, plan.avoid) if candidate else ""
        first = first or candidate
        if candidate and not any(norm(s) in plan.avoid_sentences for s in sentences(candidate)):
            line = candidate
            break
    parts = [line or first or polish(short, lang, plan.avoid) + "."]
    if "audience" in plan.force and mat.audience:
        parts.append(render(tables["audience"][0], slots, lang=lang))
    if req.require_cta or "cta" in plan.force:
        chosen = mat.ctas[0]
        action = chosen.action
        if chosen.form == "infinitive":
            action = f"{'Envie de' if lang == 'fr' else 'Time to'} {action} ?".replace(" ?", " ?")
            action = action if lang == "fr" else action.replace(" ?", "?")
            parts.append(polish(action, lang, plan.avoid))
        else:
            parts.append(polish(action[:1].upper() + action[1:] + ".", lang, plan.avoid))
    text = " ".join(p for p in parts if p)
    while not _within(req.platform, req.max_length, text) and len(parts) > 1:
        parts.pop(0 if req.require_cta else -1)
        text = " ".join(parts)
    while not _within(req.platform, req.max_length, text) and " " in text.strip():
        text = text.rsplit(None, 1)[0].rstrip(" ,:;—-")
    return text
