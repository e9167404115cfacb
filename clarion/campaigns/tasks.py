"""Background work for campaigns (run by ``clarion worker``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from clarion.campaigns.content import generate_content
from clarion.campaigns.models import Campaign


@task()
def generate_content_task(campaign_pk: int, post_pks: list[int] | None = None) -> dict[str, Any]:
    """Write the missing variants and cards of a campaign's active posts (or of ``post_pks``).

    What is already stored is skipped, so running it twice (or after a crash) is harmless.
    """
    campaign = Campaign.objects.select_related("brand").filter(pk=campaign_pk).first()
    if campaign is None:
        return {"campaign": campaign_pk, "status": "missing"}
    return generate_content(campaign=campaign, post_ids=post_pks).as_dict()


def enqueue_content(*, campaign: Campaign, post_pks: list[int] | None = None) -> None:
    """Queue content generation for ``campaign`` in the caller's transaction.

    The task row lives in the same database (django-tasks-db), so when the
    caller's transaction rolls back, no task is left behind.
    """
    with transaction.atomic():
        generate_content_task.enqueue(campaign.pk, list(post_pks) if post_pks is not None else None)
