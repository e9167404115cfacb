"""What a published post costs the database: every record kept, in few statements."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clarion.agents.models import AgentCall, Task
from clarion.publishing.services import run_daily
from clarion.writing.models import IterationSession
from tests.conftest import make_brand
from tests.publishing.helpers import DAY, NETWORKS, make_plan

pytestmark = pytest.mark.django_db

BRANDS = 4
STATEMENTS_PER_POST = 20  # the bound of the throughput target: write, check, sign, publish


def test_a_published_post_costs_at_most_twenty_statements_and_keeps_its_records():
    for n in range(BRANDS):
        make_plan(make_brand(slug=f"roastery-{n}", brand_name=f"Roastery {n}"))

    with CaptureQueriesContext(connection) as queries:
        run = run_daily(date=DAY)

    posts = BRANDS * len(NETWORKS)
    assert run.counts["published"] == posts
    statements = len(queries.captured_queries)
    print(f"{statements / posts:.1f} statements per published post")
    assert statements <= STATEMENTS_PER_POST * posts, f"{statements / posts:.1f} per post"
    # Fewer statements, not fewer records: each post's session, its job, a task per
    # model call and an attempt per task.
    sessions = IterationSession.objects.filter(dailycontentpackage__isnull=False).distinct()
    assert sessions.count() == posts
    tasks = Task.objects.filter(job__in=sessions.values("job"))
    assert tasks.count() >= 2 * posts  # a writer and a reviewer call at least
    assert AgentCall.objects.filter(task__in=tasks).count() == tasks.count()
    assert all(t.duration_ms >= 0 and t.requests >= 1 for t in tasks)
