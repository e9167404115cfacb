"""The approval queue and the publishing page: what a person sees and does, in their own
workspace only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from clarion.publishing import approvals
from clarion.publishing.models import (
    ChannelAccount,
    DailyRun,
    ErrorKind,
    Publication,
    PublicationState,
)
from clarion.publishing.services import run_daily
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def waiting_posts(brand, *, day=DAY, networks=("LinkedIn", "X")):
    """Posts of ``brand`` waiting for a person's approval on ``day``, oldest slot first."""
    brand.approval_required = True
    brand.save()
    make_plan(brand, day=day, networks=networks)
    run_daily(date=day, brands=[brand])
    return list(approvals.awaiting(brand=brand))


def many_publications(brand, n, *, state, day=DAY):
    account = ChannelAccount.objects.create(brand=brand, platform="LinkedIn")
    start = dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)
    Publication.objects.bulk_create(
        Publication(
            brand=brand,
            account=account,
            network="LinkedIn",
            date=day,
            slot=i,
            idempotency_key=f"bulk-{brand.pk}-{i}",
            content=f"Post number {i}: roasted to order, delivered within 48 hours.",
            state=state,
            error="the brand requires a person's approval before publishing"
            if state == PublicationState.AWAITING_APPROVAL
            else "",
            error_kind=ErrorKind.UNAPPROVED if state == PublicationState.AWAITING_APPROVAL else "",
            scheduled_at=start + dt.timedelta(minutes=i),
        )
        for i in range(n)
    )


# --- The approval queue ---


def test_the_queue_shows_each_waiting_post_with_why_it_waits(client, brand):
    first, second = waiting_posts(brand)
    Publication.objects.filter(pk=second.pk).update(error="the call to action is missing")

    page = client.get("/approvals/").content.decode()

    assert page.index(f'id="approval-{first.pk}"') < page.index(f'id="approval-{second.pk}"')
    assert escape(first.content.split("\n")[0][:40]) in page
    assert "The brand requires a person&#x27;s approval." in page
    assert "The reviewer did not approve it: the call to action is missing" in page
    assert "Northwind Coffee" in page and "LinkedIn" in page and "Tue 10 Mar 2026, 09:00" in page
    assert 'id="nav-count-approvals">2<' in page
    assert "Approve selected" in page


def test_approving_a_post_swaps_its_row_and_lowers_the_count(client, owner, brand):
    first, _ = waiting_posts(brand)

    answer = client.post(f"/approvals/{first.pk}/approve/", headers=HTMX)

    assert answer.status_code == 200
    body = answer.content.decode()
    assert body.lstrip().startswith(f'<article class="approval settled" id="approval-{first.pk}"')
    assert "Approved: it goes out at its time." in body
    assert '<span class="count" id="nav-count-approvals" hx-swap-oob="true">1</span>' in body
    first.refresh_from_db()
    assert (first.state, first.approved_by) == ("pending", "person:owner@example.com")


def test_the_last_approval_empties_the_navigation_count(client, brand):
    (only,) = waiting_posts(brand, networks=("LinkedIn",))

    body = client.post(f"/approvals/{only.pk}/approve/", headers=HTMX).content.decode()

    assert '<span id="nav-count-approvals" hx-swap-oob="true"></span>' in body


def test_an_edited_text_that_fails_a_check_says_why_and_stays_waiting(client, brand):
    x_post = next(p for p in waiting_posts(brand) if p.network == "X")
    too_long = "Subscribe now. " + "x" * 300

    answer = client.post(f"/approvals/{x_post.pk}/approve/", {"text": too_long}, headers=HTMX)

    body = answer.content.decode()
    assert answer.status_code == 200
    assert "280" in re.search(r'role="alert">([^<]*)<', body).group(1)
    assert too_long in body  # the edit is kept, to fix
    assert f"Now {len(too_long)} of 280 weighted characters on X" in body
    assert "<details open>" in body
    x_post.refresh_from_db()
    assert x_post.state == "awaiting_approval"


def test_an_edited_text_that_passes_is_the_one_approved(client, brand):
    post = waiting_posts(brand, networks=("LinkedIn",))[0]
    text = "Freshly roasted beans, at your door within 48 hours. Subscribe today."

    answer = client.post(f"/approvals/{post.pk}/approve/", {"text": text}, headers=HTMX)

    assert "Approved (edited)" in answer.content.decode()
    post.refresh_from_db()
    assert (post.state, post.content) == ("pending", text)


def test_without_htmx_a_failing_edit_renders_the_page_with_the_reason(client, brand):
    x_post = next(p for p in waiting_posts(brand) if p.network == "X")

    answer = client.post(f"/approvals/{x_post.pk}/approve/", {"text": "x" * 400})

    assert answer.status_code == 422
    assert "280" in answer.content.decode()
    assert "<h1>Approvals" in answer.content.decode()


def test_a_control_character_in_an_edit_or_a_comment_is_refused(client, brand):
    post = waiting_posts(brand, networks=("LinkedIn",))[0]

    edit = client.post(f"/approvals/{post.pk}/approve/", {"text": "Hi\x00there"}, headers=HTMX)
    comment = client.post(f"/approvals/{post.pk}/reject/", {"reason": "no\x07"}, headers=HTMX)

    assert "text: must not contain a control character (U+0000)" in edit.content.decode()
    assert "comment: must not contain a control character (U+0007)" in comment.content.decode()
    post.refresh_from_db()
    assert post.state == "awaiting_approval"


def test_rejecting_keeps_the_comment_and_the_post_is_never_sent(client, brand):
    first, _ = waiting_posts(brand)

    answer = client.post(
        f"/approvals/{first.pk}/reject/", {"reason": "not this week"}, headers=HTMX
    )

    body = answer.content.decode()
    assert "Rejected: it will not be sent." in body
    assert "state-rejected" in body
    first.refresh_from_db()
    assert (first.state, first.error_kind) == ("failed", "rejected")
    assert first.error == "rejected by owner@example.com: not this week"


def test_a_post_acted_on_already_says_so(client, brand):
    first, _ = waiting_posts(brand)
    approvals.reject_publication(publication_id=first.pk, by="someone")

    body = client.post(f"/approvals/{first.pk}/approve/", headers=HTMX).content.decode()

    assert "not waiting for approval" in body


def test_approve_selected_approves_all_or_none(client, brand):
    posts = waiting_posts(brand, networks=("LinkedIn", "X", "Facebook"))
    x_post = next(p for p in posts if p.network == "X")
    Publication.objects.filter(pk=x_post.pk).update(content="x" * 400)
    ids = [str(p.pk) for p in posts]

    refused = client.post("/approvals/approve/", {"ids": ids}, headers=HTMX)

    assert f"Nothing was approved: publication {x_post.pk}" in refused.content.decode()
    assert approvals.awaiting(brand=brand).count() == 3

    others = [str(p.pk) for p in posts if p.pk != x_post.pk]
    done = client.post("/approvals/approve/", {"ids": others}, headers=HTMX).content.decode()

    assert "Approved 2 posts" in done
    assert [p.pk for p in approvals.awaiting(brand=brand)] == [x_post.pk]
    assert 'id="nav-count-approvals" hx-swap-oob="true">1<' in done
    assert client.post("/approvals/approve/", {"ids": ["x"]}).status_code == 422
    assert "Tick the posts" in client.post("/approvals/approve/", {}).content.decode()


def test_another_workspaces_posts_are_absent_and_404(client, brand, other_workspace, outsider):
    theirs = waiting_posts(make_brand(workspace=other_workspace, brand_name="Theirs"))
    mine = waiting_posts(brand, networks=("LinkedIn",))

    page = client.get("/approvals/").content.decode()

    assert "Theirs" not in page and f'id="approval-{theirs[0].pk}"' not in page
    assert f'id="approval-{mine[0].pk}"' in page
    assert client.post(f"/approvals/{theirs[0].pk}/approve/").status_code == 404
    assert client.post(f"/approvals/{theirs[0].pk}/reject/").status_code == 404
    bulk = client.post("/approvals/approve/", {"ids": [theirs[0].pk, mine[0].pk]})
    assert "Nothing was approved: no publication" in bulk.content.decode()
    assert Publication.objects.filter(state="awaiting_approval").count() == 3


def test_a_viewer_sees_the_queue_without_actions_and_cannot_act(viewer, brand):
    first, _ = waiting_posts(brand)
    browser = Client()
    browser.force_login(viewer)

    page = browser.get("/approvals/").content.decode()

    assert f'id="approval-{first.pk}"' in page
    assert "Approve selected" not in page and "<button" not in page.split("<main>")[1]
    assert browser.post(f"/approvals/{first.pk}/approve/").status_code == 403
    assert browser.post(f"/approvals/{first.pk}/reject/").status_code == 403
    assert browser.post("/approvals/approve/", {"ids": [first.pk]}).status_code == 403
    assert approvals.awaiting(brand=brand).count() == 2


def test_the_queue_costs_the_same_queries_for_200_waiting_posts(
    client, brand, django_assert_max_num_queries
):
    many_publications(brand, 200, state=PublicationState.AWAITING_APPROVAL)

    # The frame (the navigation count, the worker, the overdue posts) and three of the page.
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 7):
        page = client.get("/approvals/").content.decode()

    assert page.count('class="approval"') == 50
    assert "Page 1 of 4" in page
    assert 'id="nav-count-approvals">200<' in page
    with django_assert_max_num_queries(SIGN_IN_QUERIES + 7):
        assert client.get("/approvals/?page=4").content.decode().count('class="approval"') == 50


# --- A day's run ---


def failed_and_published(brand):
    """On DAY: X and LinkedIn failed their checks (a banned term), Facebook published."""
    make_plan(brand, guidelines={"banned_terms": ["roasted beans"]}, networks=("X", "LinkedIn"))
    run_daily(date=DAY, brands=[brand])
    make_plan(brand, guidelines={}, networks=("Facebook",))
    run_daily(date=DAY, brands=[brand])
    Publication.objects.filter(network="Facebook").update(
        remote_url="https://facebook.example/posts/123"
    )


def test_the_day_shows_states_links_and_errors_in_words(client, brand):
    failed_and_published(brand)

    page = client.get(f"/publishing/?date={DAY}").content.decode()

    assert "Tuesday 10 March 2026" in page
    assert '<span class="figure">3</span> publications' in page
    assert re.search(r'<span class="figure">2</span> <span class="state state-failed">', page)
    assert 'href="https://facebook.example/posts/123"' in page
    assert "The text failed the checks — validation failed: Banned terms used" in page
    assert "Retry 1 failed on X" in page and "Retry 1 failed on LinkedIn" in page
    assert "Run 10 Mar (dry run)" in page


def test_overdue_posts_are_highlighted(client, brand):
    waiting_posts(brand, day=timezone.localdate(), networks=("LinkedIn",))
    Publication.objects.update(scheduled_at=timezone.now() - dt.timedelta(hours=1))

    page = client.get("/publishing/").content.decode()

    assert 'class="overdue"' in page
    assert "state-overdue" in page
    assert "Run today (dry run)" in page


def test_a_bad_date_falls_back_to_today_and_says_so(client, brand):
    page = client.get("/publishing/?date=tomorrow").content.decode()

    assert "&#x27;tomorrow&#x27; is not a date (YYYY-MM-DD): showing today." in page


def test_running_the_day_shows_what_the_run_did(client, brand):
    make_plan(brand, day=DAY)

    dry = client.post("/publishing/run/", {"date": str(DAY), "dry_run": "1"})
    assert not Publication.objects.exists()
    run = DailyRun.objects.get()
    assert dry.url == f"/publishing/?date={DAY}&run={run.pk}"
    page = client.get(dry.url).content.decode()
    assert "Dry run: 3 posts written and checked, nothing published." in page
    assert "3 dry run" in page

    done = client.post("/publishing/run/", {"date": str(DAY), "dry_run": "0"})
    page = client.get(done.url).content.decode()
    assert "Published 3 new posts." in page
    assert Publication.objects.filter(state="published").count() == 3
    assert run.workspace_id == brand.workspace_id


def test_a_run_the_model_stops_says_why_on_the_page(client, brand, monkeypatch):
    from clarion.core.errors import Unavailable
    from clarion.publishing import orchestrator

    def down(**kwargs):
        raise Unavailable("the model server at http://llm.internal:8080 does not answer")

    monkeypatch.setattr(orchestrator, "run_daily", down)

    answer = client.post("/publishing/run/", {"date": str(DAY), "dry_run": "0"}, follow=True)

    assert answer.status_code == 200
    assert "The run stopped: the model server at http://llm.internal:8080 does not answer" in (
        answer.content.decode()
    )


def test_retry_failed_retries_one_network(client, brand):
    failed_and_published(brand)
    make_plan(brand, guidelines={}, networks=("X", "LinkedIn"))

    answer = client.post("/publishing/retry/", {"date": str(DAY), "network": "X"})

    page = client.get(answer.url).content.decode()
    assert "Retry of 10 Mar 2026" in page
    states = dict(Publication.objects.values_list("network", "state"))
    assert states == {"X": "published", "LinkedIn": "failed", "Facebook": "published"}
    assert (
        client.post("/publishing/retry/", {"date": str(DAY), "network": "Myspace"}).status_code
        == 400
    )
    assert client.post("/publishing/run/", {"date": "soon"}).status_code == 400


def test_the_day_shows_only_the_workspaces_own(client, brand, other_workspace, outsider):
    theirs = make_brand(workspace=other_workspace, brand_name="Theirs")
    failed_and_published(theirs)
    other_run = DailyRun.objects.filter(workspace=other_workspace).first()
    theirs_before = dict(Publication.objects.filter(brand=theirs).values_list("pk", "state"))

    page = client.get(f"/publishing/?date={DAY}&run={other_run.pk}").content.decode()

    assert "Theirs" not in page and "facebook.example" not in page
    assert '<span class="figure">0</span> publications' in page
    assert "Retry" not in page and 'id="run-result"' not in page
    client.post("/publishing/retry/", {"date": str(DAY), "network": "X"})
    assert DailyRun.objects.filter(workspace=other_workspace).count() == 2
    assert list(theirs_before.values()).count("failed") == 2
    after = dict(Publication.objects.filter(brand=theirs).values_list("pk", "state"))
    assert after == theirs_before


def test_a_viewer_sees_the_day_without_buttons_and_cannot_run_it(viewer, brand):
    failed_and_published(brand)
    browser = Client()
    browser.force_login(viewer)

    page = browser.get(f"/publishing/?date={DAY}").content.decode()

    assert "Retry" not in page and "Run 10 Mar" not in page
    assert browser.post("/publishing/run/", {"date": str(DAY)}).status_code == 403
    assert browser.post("/publishing/retry/", {"date": str(DAY), "network": "X"}).status_code == 403


def test_the_day_costs_the_same_queries_for_300_publications(
    client, brand, django_assert_max_num_queries
):
    many_publications(brand, 300, state=PublicationState.FAILED)

    with django_assert_max_num_queries(SIGN_IN_QUERIES + 15):
        page = client.get(f"/publishing/?date={DAY}").content.decode()

    assert page.count('id="publication-') == 200
    assert "1–200 of 300" in page
