"""The offline content engine: Clarion's built-in, deterministic model.

When no LLM server is available, the writer and the reviewer still work: this
package reads the same JSON request a real model gets (see
``clarion.agents.prompting``) and answers it with brand-aware, platform-aware
text built from template tables. Every choice comes from a SHA-256 digest of the
request, so the same request always gets the same answer, while another seed,
variant or angle gets another text. First drafts are sometimes imperfect (as a
human's would be); the reviewer's rubric names concrete fixes with stable codes
(``add_cta: ...``, ``shorten: ...``), and drafts that apply them pass.

Modules, each importing only the ones before it: ``phrases`` (the English and
French tables), ``text`` (shared helpers), ``brief`` (reading the brief),
``plan`` (the writer's choices and how fixes change them), ``reviewer`` (the
rubric), ``writer`` (drafting and fitting) and ``model`` (``respond`` and
``offline_model``, re-exported here).
"""

from __future__ import annotations

from clarion.agents.offline.model import offline_model, respond

__all__ = ["offline_model", "respond"]
