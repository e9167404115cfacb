"""Media cards: one 1200×630 PNG per post, drawn with Pillow from the brand and the post's headline.

The colours come from the brand's slug (the same brand always gets the same card
palette); the text is the post's own headline (``card_headline``: the first line of
its selected copy once written, before that its hook, else its title) with the phase
as a label, word-wrapped and shrunk until it fits. Pillow's bundled font is used
(``ImageFont.load_default(size=…)``), so no font file is needed.

Cards live under ``MEDIA_ROOT/cards/<campaign pk>/<post pk>.png``: the file name
comes from primary keys, never from text a model or a user wrote.
"""

from __future__ import annotations

import colorsys
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from clarion.campaigns.models import Campaign, ContentVariant, Post, PostStatus

logger = logging.getLogger(__name__)

CARD_WIDTH, CARD_HEIGHT = 1200, 630
CARDS_DIR = "cards"

_MARGIN = 80
_HOOK_SIZES = range(80, 35, -4)  # the hook's font size, largest first
_LINE_SPACING = 1.18

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    background: RGB
    accent: RGB
    text: RGB
    muted: RGB


def palette(slug: str) -> Palette:
    """The card colours of a brand, derived from its slug (dark background, light text)."""
    digest = hashlib.sha256(slug.encode("utf-8")).digest()
    hue = digest[0] / 255
    saturation = 0.35 + digest[1] / 255 * 0.3

    def rgb(h: float, lightness: float, s: float) -> RGB:
        r, g, b = colorsys.hls_to_rgb(h % 1.0, lightness, s)
        return round(r * 255), round(g * 255), round(b * 255)

    return Palette(
        background=rgb(hue, 0.18, saturation),
        accent=rgb(hue + 0.08 + digest[2] / 255 * 0.1, 0.64, 0.8),
        text=(250, 250, 247),
        muted=rgb(hue, 0.78, 0.2),
    )


def card_path(post: Post) -> PurePosixPath:
    """Where the card of ``post`` lives, relative to MEDIA_ROOT."""
    return PurePosixPath(CARDS_DIR, str(post.campaign_id), f"{post.pk}.png")


def stored_card(post: Post) -> Path | None:
    """The card file of ``post`` when it has one on disk (inside MEDIA_ROOT/cards), else None."""
    if not post.media_path:
        return None
    root = (Path(settings.MEDIA_ROOT) / CARDS_DIR).resolve()
    path = (Path(settings.MEDIA_ROOT) / post.media_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


_HEADLINE_CHARS = 140
_TAGS = re.compile(r"(?:^|\s)#\w[\w-]*")


def headline_of(text: str) -> str:
    """The headline of a post's copy: its first line, without hashtags or a list's colon."""
    for line in text.splitlines():
        line = _TAGS.sub("", line).strip().rstrip(":").strip()
        if not line:
            continue
        if len(line) <= _HEADLINE_CHARS:
            return line
        first = re.split(r"(?<=[.!?])\s+", line)[0]
        return first if len(first) <= _HEADLINE_CHARS else first[: _HEADLINE_CHARS - 1] + "…"
    return ""


def card_headline(post: Post, taken: set[str] | None = None) -> str:
    """The post's own headline: its selected copy's first line once written, else its hook or
    title; when another post of the campaign already shows that line (``taken``), its hook."""
    variants = ContentVariant.objects.filter(post=post)
    if post.selected_variant:
        variants = variants.filter(variant_id=post.selected_variant)
    text = next(
        (v.content for v in sorted(variants, key=lambda v: (v.platform != "LinkedIn", v.pk))),
        "",
    )
    taken = taken or set()
    for line in (headline_of(text), post.hook.strip(), post.title.strip()):
        if line and line.lower() not in taken:
            return line
    return (post.hook or post.title).strip() or post.title


def render_card(*, post: Post, headline: str | None = None) -> Path:
    """Draw the card of ``post`` (with ``headline``, or its own), store it atomically and
    record its path on the post."""
    brand = post.campaign.brand
    hook = headline or card_headline(post)
    label = f"Phase {post.phase}" + (f" · {post.phase_name}" if post.phase_name else "")
    image = draw_card(brand_name=brand.brand_name, slug=brand.slug, hook=hook, label=label)
    relative = card_path(post)
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".card-", suffix=".png")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            image.save(handle, format="PNG", optimize=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    post.media_path = str(relative)
    Post.objects.filter(pk=post.pk).update(media_path=post.media_path, updated_at=timezone.now())
    return path


def campaign_headlines(campaign: Campaign) -> dict[int, str]:
    """Each active post's card headline, in the campaign's order: its own copy's first line,
    unless an earlier post already shows that line (then the post's own hook)."""
    taken: set[str] = set()
    headlines: dict[int, str] = {}
    active = Post.objects.filter(campaign=campaign, is_active=True)
    for post in active.order_by("phase", "position", "id"):
        headline = card_headline(post, taken)
        taken.add(headline.lower())
        headlines[post.pk] = headline
    return headlines


def redraw_cards(campaign: Campaign, post_pks: Iterable[int]) -> None:
    """Draw again the cards of the posts ``post_pks`` whose copy is now complete, each with
    its headline from ``campaign_headlines``."""
    redraw = set(post_pks)
    if not redraw:
        return
    headlines = campaign_headlines(campaign)
    ready = Post.objects.filter(pk__in=redraw, status=PostStatus.READY).exclude(selected_variant="")
    for post in ready.select_related("campaign__brand"):
        try:
            render_card(post=post, headline=headlines.get(post.pk))
        except Exception:  # a card is decoration: the post keeps its earlier card
            logger.exception("card for %s failed", post.post_id)


def draw_card(*, brand_name: str, slug: str, hook: str, label: str) -> Image.Image:
    """The card as a Pillow image: brand name, phase label and the hook, wrapped to fit."""
    colours = palette(slug)
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), colours.background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 18, CARD_HEIGHT), fill=colours.accent)
    draw.rectangle((0, CARD_HEIGHT - 10, CARD_WIDTH, CARD_HEIGHT), fill=colours.accent)

    brand_font = card_font(36)
    label_font = card_font(26)
    width = CARD_WIDTH - 2 * _MARGIN
    brand_line = _fit_line(draw, brand_name, brand_font, width)
    draw.text((_MARGIN, 62), brand_line, font=brand_font, fill=colours.accent)
    label_line = _fit_line(draw, label.upper(), label_font, width)
    draw.text((_MARGIN, 116), label_line, font=label_font, fill=colours.muted)

    top, bottom = 190, CARD_HEIGHT - 70
    size, lines = fit_text(draw, hook, width=width, height=bottom - top)
    font = card_font(size)
    step = round(size * _LINE_SPACING)
    y = top + (bottom - top - step * len(lines)) // 2
    for line in lines:
        draw.text((_MARGIN, y), line, font=font, fill=colours.text)
        y += step
    return image


def card_font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled font at ``size`` (needs Pillow built with FreeType, as the wheels are)."""
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType: media cards cannot be drawn")
    return font


def fit_text(
    draw: ImageDraw.ImageDraw, text: str, *, width: int, height: int
) -> tuple[int, list[str]]:
    """The largest font size at which ``text`` wraps into the box, and its lines.

    At the smallest size, lines that do not fit are dropped and the last one ends in "…".
    """
    for size in _HOOK_SIZES:
        font = card_font(size)
        lines = wrap(draw, text, font, width)
        if len(lines) * round(size * _LINE_SPACING) <= height:
            return size, lines
    room = max(1, height // round(size * _LINE_SPACING))
    if len(lines) > room:
        lines = [*lines[: room - 1], _fit_line(draw, lines[room - 1] + " …", font, width)]
    return size, lines


def wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Greedy word wrap by measured width; a word wider than the box is split."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while draw.textlength(word, font=font) > width:
            cut = max(1, _longest_prefix(draw, word, font, width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_prefix(
    draw: ImageDraw.ImageDraw, word: str, font: ImageFont.FreeTypeFont, width: int
) -> int:
    low, high = 0, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(word[:middle], font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _fit_line(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> str:
    """``text`` on one line, cut with "…" when it is wider than ``width``."""
    if draw.textlength(text, font=font) <= width:
        return text
    cut = _longest_prefix(draw, text, font, width - int(draw.textlength("…", font=font)))
    return text[:cut].rstrip() + "…"
