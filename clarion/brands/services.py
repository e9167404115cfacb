"""Brand actions: create, update, look up, and the brand as agents see it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from pydantic import ValidationError

from clarion.accounts.models import Workspace
from clarion.accounts.scope import scoped
from clarion.accounts.workspaces import default_workspace
from clarion.agents.schemas import BrandContext
from clarion.brands.models import Brand
from clarion.brands.schemas import BrandBrief, BrandUpdate
from clarion.core.errors import Conflict, InvalidInput, NotFound
from clarion.core.links import WEBSITE_PATTERN, is_own_host, website_domain
from clarion.core.text import find_refused


def first_error(exc: ValidationError, prefix: str = "") -> InvalidInput:
    """The first validation error as an InvalidInput naming its field."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "brief"
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "is not a brief field"
    return InvalidInput(prefix + field, message)


def parse_brief(data: Any) -> BrandBrief:
    if not isinstance(data, dict):
        raise InvalidInput(
            "brief", "must be a mapping of brief fields (brand_name, positioning, …)"
        )
    try:
        return BrandBrief.model_validate(data)
    except ValidationError as exc:
        raise first_error(exc) from exc


def load_data_file(path: Path) -> Any:
    """Parse a YAML or JSON file; errors name the file."""
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput("file", f"{path} is not valid {kind}: {exc}") from exc
    found = find_refused(data)
    if found is not None:
        where = ".".join(str(part) for part in found.loc) or "file"
        raise InvalidInput(where, f"{found.message} (in {path})")
    return data


def load_brief_file(path: Path) -> BrandBrief:
    """Read a YAML or JSON brief; errors name the file and the field."""
    return parse_brief(load_data_file(path))


def parse_update(data: Any) -> BrandUpdate:
    if not isinstance(data, dict):
        raise InvalidInput(
            "brief", "must be a mapping of brief fields (brand_name, positioning, …)"
        )
    try:
        return BrandUpdate.model_validate(data)
    except ValidationError as exc:
        raise first_error(exc) from exc


def with_own_domains(domains: list[str], website: str, cta_targets: list[str]) -> list[str]:
    """``domains`` with the domains of the website and of the web addresses among the calls
    to action (the brand gave them as its own) added when they are not covered already."""
    owned = list(domains)
    for url in [website, *cta_targets]:
        if not url or not re.fullmatch(WEBSITE_PATTERN, url):
            continue
        domain = website_domain(url)
        if not is_own_host(domain, owned):
            owned.append(domain)
    return owned


def _unique_slug(base: str, workspace: Workspace) -> str:
    base = slugify(base)[:70] or "brand"
    slug, n = base, 2
    while Brand.objects.filter(workspace=workspace, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_brand(*, brief: BrandBrief, workspace: Workspace | None = None) -> Brand:
    """A new brand of ``workspace`` (default: the default workspace, as for the demo)."""
    workspace = workspace or default_workspace()
    if brief.slug and Brand.objects.filter(workspace=workspace, slug=brief.slug).exists():
        raise Conflict(f"a brand with slug {brief.slug!r} already exists")
    try:
        return Brand.objects.create(
            workspace=workspace,
            slug=brief.slug or _unique_slug(brief.brand_name, workspace),
            brand_name=brief.brand_name,
            positioning=brief.positioning,
            target_audience=brief.target_audience,
            value_props=brief.value_props,
            language=brief.language,
            tone=brief.tone,
            cta_targets=brief.cta_targets,
            guidelines_do=brief.guidelines.do,
            guidelines_dont=brief.guidelines.dont,
            banned_terms=brief.banned_terms,
            website=brief.website,
            domains=with_own_domains(brief.domains, brief.website, brief.cta_targets),
            timezone=brief.timezone,
            daily_run_time=brief.daily_run_time,
            approval_required=brief.approval_required,
        )
    except IntegrityError as exc:
        raise Conflict("a brand with this slug already exists") from exc


@transaction.atomic
def update_brand(*, brand: Brand, changes: BrandUpdate) -> Brand:
    data = changes.model_dump(exclude_unset=True)
    guidelines = data.pop("guidelines", None)
    for field, value in data.items():
        if value is not None:  # null, like a missing field, leaves the value as it is
            setattr(brand, field, value)
    if guidelines is not None:
        brand.guidelines_do = guidelines["do"]
        brand.guidelines_dont = guidelines["dont"]
    if changes.website or changes.domains is not None or changes.cta_targets is not None:
        brand.domains = with_own_domains(brand.domains, brand.website, brand.cta_targets)
    brand.save()
    return brand


def get_brand(ref: str | int, *, workspace: Workspace | None = None) -> Brand:
    """A brand of ``workspace`` by id or slug.

    Without a workspace (the terminal, which serves the whole installation) a slug
    that several workspaces use must be written ``workspace/slug``.
    """
    text = str(ref).strip()
    brands = Brand.objects.select_related("workspace")
    if workspace is not None:
        brands = scoped(brands, workspace)
    elif re.fullmatch(r"[\w-]+/[\w-]+", text):
        space, _, text = text.partition("/")
        brands = brands.filter(workspace__slug=space)
    by_id = text.isascii() and text.isdigit() and len(text) < 19
    found = list(brands.filter(pk=int(text)) if by_id else brands.filter(slug=text)[:2])
    if not found:
        raise NotFound(f"no brand {text!r}")
    if len(found) > 1:
        raise InvalidInput(
            "brand",
            f"several workspaces have a brand {text!r}: write it as WORKSPACE/{text}",
        )
    return found[0]


def brand_context(brand: Brand) -> BrandContext:
    return BrandContext(
        brand_name=brand.brand_name,
        positioning=brand.positioning,
        target_audience=brand.target_audience,
        value_props=list(brand.value_props),
        language=brand.language,
        tone=brand.tone,
        cta_targets=list(brand.cta_targets),
        guidelines_do=list(brand.guidelines_do),
        guidelines_dont=list(brand.guidelines_dont),
        banned_terms=list(brand.banned_terms),
    )
