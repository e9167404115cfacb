"""Two generations for the same brand and month at once: versions 1 and 2, one active."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from clarion.planning import services
from clarion.planning.models import MonthlyPlan
from tests.factories import make_brand


@pytest.mark.django_db(transaction=True)
def test_concurrent_generations_store_distinct_versions_and_one_active_plan():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a SQLite file (CLARION_TEST_FILE_DB=1)")
    brand = make_brand()
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def generate() -> None:
        def wait_at_the_end(done: int, total: int) -> None:
            if done == total:
                barrier.wait()  # both runs reach the store step together

        try:
            services.generate_monthly_plan(
                brand=brand, start_date=date(2026, 5, 1), days=10, on_progress=wait_at_the_end
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    plans = list(MonthlyPlan.objects.order_by("version").values_list("version", "is_active"))
    assert plans == [(1, False), (2, True)]
