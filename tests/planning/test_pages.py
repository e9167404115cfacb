"""The calendar page: a brand's month of slots coloured by the state of their posts, the
slot panel, and generating the month from the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from clarion.planning.models import MonthlyPlan, PlanSlot
from clarion.planning.month import SlotState, slot_state
from clarion.publishing.ledger import idempotency_key
from clarion.publishing.models import ChannelAccount, ErrorKind, Publication, PublicationState
from clarion.publishing.services import run_daily
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import make_brand
from tests.publishing.helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox_in_tmp(settings, tmp_path):
    """Posts the outbox "publishes" go to files under the test's own directory."""
    settings.CLARION_HOME = tmp_path


MONTH = dt.date(2026, 3, 1)
ALL_NETWORKS = ("LinkedIn", "Facebook", "X", "Mastodon", "Bluesky")


def _ledger(slot: PlanSlot, state: str, **fields) -> Publication:
    """The ledger row of ``slot`` in ``state`` (on an outbox account)."""
    brand = slot.plan.brand
    account, _ = ChannelAccount.objects.get_or_create(
        brand=brand, platform=slot.network, is_active=True
    )
    return Publication.objects.create(
        brand=brand,
        account=account,
        network=slot.network,
        date=slot.date,
        slot=slot.slot,
        plan_slot=slot,
        idempotency_key=idempotency_key(
            brand_id=brand.pk, account_id=account.pk, day=slot.date, slot=slot.slot
        ),
        state=state,
        scheduled_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
        **fields,
    )


def _chips(page: str) -> dict[str, str]:
    """Each chip's slot id and state, as the page shows them."""
    return dict(
        (slot, state)
        for state, slot in re.findall(r'class="chip chip-(\w+)"[^>]*?data-slot="(\d+)"', page, re.S)
    )


def _full_month(brand) -> MonthlyPlan:
    """31 days × 5 networks, every slot with a ledger row in one of the states."""
    plan = make_plan(brand, day=MONTH, networks=ALL_NETWORKS, days=31)
    states = list(PublicationState)
    for index, slot in enumerate(plan.slots.order_by("pk")):
        state = states[index % len(states)]
        _ledger(
            slot,
            state,
            content="Fresh beans, every week." if state != PublicationState.PENDING else "",
            content_hash="abc" if state != PublicationState.PENDING else "",
        )
    return plan


def test_the_state_of_a_slot_follows_its_ledger_row():
    assert slot_state(None, written=False) == SlotState.PLANNED
    assert slot_state("pending", written=False) == SlotState.PLANNED
    assert slot_state("pending", written=True) == SlotState.WRITTEN
    assert slot_state("claimed", written=True) == SlotState.WRITTEN
    assert slot_state("awaiting_approval", written=True) == SlotState.AWAITING_APPROVAL
    assert slot_state("published", written=True) == SlotState.PUBLISHED
    assert slot_state("failed", written=False) == SlotState.FAILED
    assert slot_state("needs_attention", written=True) == SlotState.NEEDS_ATTENTION


def test_the_month_shows_one_chip_per_slot_coloured_by_its_state(client, brand):
    plan = make_plan(brand, day=dt.date(2026, 3, 9), networks=("LinkedIn", "X"), days=2)
    slots = list(plan.slots.order_by("date", "network"))
    _ledger(slots[0], PublicationState.PUBLISHED, content="Hi", content_hash="h")
    _ledger(slots[1], PublicationState.FAILED, error="429 Too Many Requests")
    _ledger(slots[2], PublicationState.AWAITING_APPROVAL, content="Hi", content_hash="h")

    response = client.get("/calendar/", {"brand": brand.slug, "month": "2026-03"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "March 2026" in page
    assert _chips(page) == {
        str(slots[0].pk): "published",
        str(slots[1].pk): "failed",
        str(slots[2].pk): "awaiting_approval",
        str(slots[3].pk): "planned",
    }
    assert "4 posts planned" in page
    # Export links for the plan, through the API (the session signs them in).
    assert f"/api/strategy/plans/{plan.pk}/export.ics" in page
    assert f"/api/strategy/plans/{plan.pk}/export.csv" in page
    assert client.get(f"/api/strategy/plans/{plan.pk}/export.ics").status_code == 200


def test_the_calendar_defaults_to_the_first_brand_and_this_month(client, brand):
    make_brand(brand_name="Zebra Tea")
    page = client.get("/calendar/").content.decode()

    assert f'<option value="{brand.slug}" selected>' in page
    assert dt.date.today().strftime("%B %Y") in page
    assert 'id="no-plan"' in page
    assert "Generate the month" in page


def test_a_regenerated_plan_keeps_the_states_of_the_posts_already_in_the_ledger(client, brand):
    first = make_plan(brand, day=dt.date(2026, 3, 9), networks=("LinkedIn",))
    _ledger(first.slots.get(), PublicationState.PUBLISHED, content="Hi", content_hash="h")
    second = make_plan(brand, day=dt.date(2026, 3, 9), networks=("LinkedIn",))

    page = client.get("/calendar/", {"brand": brand.slug, "month": "2026-03"}).content.decode()

    assert _chips(page) == {str(second.slots.get().pk): "published"}


def test_the_slot_panel_shows_the_topic_the_text_and_the_publication(client, brand):
    plan = make_plan(brand, day=dt.date(2026, 3, 9), networks=("LinkedIn", "X"))
    linkedin, x = plan.slots.order_by("network")
    _ledger(
        linkedin,
        PublicationState.PUBLISHED,
        content="Roasted on Monday, at your door on Wednesday.",
        content_hash="h",
        remote_url="https://social.example/@northwind/1",
    )
    _ledger(
        x,
        PublicationState.FAILED,
        error="the network refused the post: 422 text too long",
        error_kind=ErrorKind.PERMANENT,
    )

    published = client.get(f"/calendar/slots/{linkedin.pk}/", headers={"HX-Request": "true"})
    failed = client.get(f"/calendar/slots/{x.pk}/", headers={"HX-Request": "true"})

    assert published.status_code == 200
    panel = published.content.decode()
    assert "<html" not in panel  # the partial alone
    assert linkedin.topic in panel
    assert "Roasted on Monday, at your door on Wednesday." in panel
    assert 'href="https://social.example/@northwind/1"' in panel
    assert "Published" in panel
    text = failed.content.decode()
    assert "The network refused it: the network refused the post: 422 text too long" in text
    assert "Not written yet" in text


def test_a_dry_run_text_shows_in_the_panel(client, brand):
    day = dt.date(2026, 3, 9)
    plan = make_plan(brand, day=day, networks=("LinkedIn",))
    run_daily(date=day, brands=[brand], dry_run=True)

    panel = client.get(f"/calendar/slots/{plan.slots.get().pk}/").content.decode()

    assert "Written by a dry run" in panel


def test_without_javascript_a_chip_opens_its_panel_on_the_page(client, brand):
    plan = make_plan(brand, day=dt.date(2026, 3, 9), networks=("LinkedIn",))
    slot = plan.slots.get()

    page = client.get(
        "/calendar/", {"brand": brand.slug, "month": "2026-03", "slot": slot.pk}
    ).content.decode()

    assert 'id="panel-title"' in page
    assert slot.topic in page


def test_generating_the_month_stores_a_plan_and_says_how_many_posts(client, brand):
    response = client.post(
        "/calendar/generate/",
        {
            "brand": brand.slug,
            "start_date": "2026-04-01",
            "duration_days": "30",
            "networks": ["LinkedIn", "X"],
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    plan = MonthlyPlan.objects.get(brand=brand, is_active=True)
    assert plan.slots.count() == 60
    text = response.content.decode()
    assert "<html" not in text
    assert 'id="month"' in text
    assert "Planned 60 posts for April 2026 on LinkedIn, X (version 1)." in text
    assert "Regenerate the month" in text
    assert len(_chips(text)) == 60


def test_regenerating_stores_the_next_version(client, brand):
    data = {"brand": brand.slug, "start_date": "2026-04-01", "duration_days": "3"}
    client.post("/calendar/generate/", data)
    response = client.post("/calendar/generate/", data)

    assert response.status_code == 200
    assert "(version 2)" in response.content.decode()
    assert MonthlyPlan.objects.filter(brand=brand).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_date": "2026-13-01"}, "Start date:"),
        ({"start_date": "tomorrow"}, "Start date: Value error, must be a date as YYYY-MM-DD"),
        ({"start_date": "2026-04-01", "duration_days": "40"}, "Days: Input should be less than"),
        ({"start_date": "2026-04-01", "duration_days": "three"}, "Days: write a whole number"),
        ({"start_date": "2026-04-01", "networks": ["Myspace"]}, "Networks:"),
    ],
)
def test_bad_input_to_generate_says_what_to_fix(client, brand, data, message):
    response = client.post("/calendar/generate/", {"brand": brand.slug, **data})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MonthlyPlan.objects.exists()


def test_from_the_page_bad_input_comes_back_in_the_month_part(client, brand):
    response = client.post(
        "/calendar/generate/",
        {"brand": brand.slug, "start_date": "2026-04-01", "duration_days": "0"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200  # htmx swaps only successful answers
    text = response.content.decode()
    assert "<html" not in text
    assert "Days: Input should be greater than or equal to 1" in text
    assert not MonthlyPlan.objects.exists()


def test_after_generating_without_javascript_the_chips_link_to_the_calendar(client, brand):
    response = client.post("/calendar/generate/", {"brand": brand.slug, "start_date": "2026-04-01"})

    page = response.content.decode()
    assert "<html" in page
    slot = MonthlyPlan.objects.get().slots.first()
    assert f'href="/calendar/?brand={brand.slug}&amp;month=2026-04&amp;slot={slot.pk}"' in page


def test_a_bad_month_says_how_to_write_it(client, brand):
    for month in ("2026-3", "March", "2026-00"):
        response = client.get("/calendar/", {"brand": brand.slug, "month": month})
        assert response.status_code == 400
        assert "Month:" in response.content.decode()


def test_another_workspaces_brand_and_slots_are_not_found(client, brand, other_workspace):
    theirs = make_brand(workspace=other_workspace, brand_name="Their Coffee")
    plan = make_plan(theirs, day=dt.date(2026, 3, 9), networks=("LinkedIn",))

    assert client.get("/calendar/", {"brand": theirs.slug}).status_code == 404
    assert client.get(f"/calendar/slots/{plan.slots.get().pk}/").status_code == 404
    assert client.post("/calendar/generate/", {"brand": theirs.slug}).status_code == 404
    page = client.get("/calendar/").content.decode()
    assert "Their Coffee" not in page


def test_a_viewer_sees_the_month_but_no_generate_button_and_cannot_generate(viewer, brand):
    make_plan(brand, day=dt.date(2026, 3, 9), networks=("LinkedIn",))
    browser = Client()
    browser.force_login(viewer)

    page = browser.get("/calendar/", {"brand": brand.slug, "month": "2026-03"}).content.decode()
    refused = browser.post("/calendar/generate/", {"brand": brand.slug, "start_date": "2026-04-01"})

    assert "chip chip-planned" in page
    assert "generate-month" not in page.replace("planning:generate-month", "")
    assert "Regenerate" not in page
    assert refused.status_code == 403
    assert MonthlyPlan.objects.count() == 1


def test_a_full_month_renders_in_a_bounded_number_of_queries(
    client, brand, django_assert_max_num_queries
):
    _full_month(brand)

    # Sign-in (3), the brands, the slots, their ledger rows, and the frame (memberships,
    # worker, overdue posts, approvals): the same for 1 slot or 155.
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 3 + 6):
        response = client.get("/calendar/", {"brand": brand.slug, "month": "2026-03"})

    page = response.content.decode()
    chips = _chips(page)
    assert len(chips) == 155
    assert set(chips.values()) == {state.value for state in SlotState}
