"""The offline content engine: Clarion's built-in, deterministic model.

When no LLM server is available, the planner, the strategist, the writer and the reviewer
still work: this package reads the same JSON request a real model gets (see
``clarion.agents.prompting``) and answers it. Every choice comes from a SHA-256 digest of the
request, so the same request always gets the same answer.

The writer treats the brand as material, never as lines to paste: value propositions are
classified by form (a thing, a quality, an action…) and put into sentence frames made for
that form; calls to action are built around their target's form; the slot's labels (pillar,
angle, hook style, format) choose frames but never become words. A first draft is written
from the brief alone; the reviewer, who knows the brand's recent posts, runs the same quality
checks as the writing loop (``clarion.writing.quality``) and names every fix; revisions apply
them and the writer re-reads its own revision before handing it over.

Modules: ``phrases`` (shared word lists, slogan tables), ``text`` (helpers), ``grammar``
(forms, French articles), ``brief`` (a request's wrapper and subject), ``intent`` (campaign
goals as intentions), ``material`` (the brand as typed phrases), ``topic`` (what a post is
about), ``plan`` (the writer's choices and how fixes change them), ``copybook``, ``english``
and ``french`` (the sentence frames), ``tags`` (hashtags), ``layout`` (fitting a post to its
network), ``compose`` (posts and polls), ``slogan``, ``reviewer``, ``writer``, ``topics`` (the
planner), ``strategist`` and ``model`` (``respond`` and ``offline_model``, re-exported here).
"""

from __future__ import annotations

from clarion.agents.offline.model import offline_model, respond

__all__ = ["offline_model", "respond"]
