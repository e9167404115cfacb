"""The brands pages: the list, a new brand and a brief to edit, with the API's own rules and
messages, in the person's workspace only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clarion.brands.models import Brand
from tests.conftest import SIGN_IN_QUERIES
from tests.factories import brief_data, make_brand

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    """The form's fields for the sample brief (lists one item per line)."""
    brief = brief_data()
    data = {
        "brand_name": brief["brand_name"],
        "positioning": brief["positioning"],
        "target_audience": brief["target_audience"],
        "value_props": "\n".join(brief["value_props"]),
        "language": "en-US",
        "tone": "friendly",
        "guidelines_do": "mention freshness",
        "guidelines_dont": "promise health benefits",
        "banned_terms": "cheap\nguaranteed",
        "cta_targets": "subscribe\nhttps://shop.northwind.example/kit",
        "website": "https://northwind.example",
        "domains": "",
        "timezone": "Europe/Paris",
        "daily_run_time": "07:30",
        "approval_required": "on",
    }
    data.update(overrides)
    return data


def field_errors(response, field):
    """The messages the page shows under ``field``."""
    block = re.search(rf'<ul class="errorlist" id="errors-{field}">(.*?)</ul>', response, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def api_message(response) -> str:
    """The API's message for the first error, as a person reads it."""
    message = response.json()["detail"][0]["msg"]
    return re.sub(r"^Value error, (\w+: )?", "", message)


def unescape(text: str) -> str:
    from html import unescape as html_unescape

    return html_unescape(text)


def test_the_list_shows_the_workspaces_brands_only(client, brand, other_workspace, outsider):
    theirs = make_brand(workspace=other_workspace, brand_name="Theirs")

    page = client.get("/brands/").content.decode()

    assert "Northwind Coffee" in page and f'href="/brands/{brand.pk}/"' in page
    assert "Theirs" not in page
    assert "New brand" in page
    assert client.get(f"/brands/{theirs.pk}/").status_code == 404
    assert client.post(f"/brands/{theirs.pk}/", form_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.brand_name == "Theirs"


def test_a_new_brand_from_the_form_asks_for_a_persons_approval_by_default(client, owner):
    page = client.get("/brands/new/").content.decode()
    assert re.search(r'name="approval_required"[^>]*checked', page)

    answer = client.post("/brands/new/", form_data(value_props="roasted to order\n\n  fresh  "))

    brand = Brand.objects.get()
    assert answer.status_code == 302 and answer.url == f"/brands/{brand.pk}/"
    assert brand.workspace.slug == "default"
    assert brand.approval_required is True
    assert brand.value_props == ["roasted to order", "fresh"]
    assert brand.banned_terms == ["cheap", "guaranteed"]
    assert (brand.guidelines_do, brand.guidelines_dont) == (
        ["mention freshness"],
        ["promise health benefits"],
    )
    assert brand.timezone == "Europe/Paris" and brand.daily_run_time.strftime("%H:%M") == "07:30"
    assert brand.domains == ["northwind.example"]  # the shop is a subdomain of the website
    assert "Northwind Coffee is ready." in client.get(answer.url).content.decode()


def test_unticking_approval_makes_a_brand_the_reviewer_approves(client, owner):
    data = form_data()
    del data["approval_required"]

    client.post("/brands/new/", data)

    assert Brand.objects.get().approval_required is False


BAD_INPUT = [
    ("timezone", {"timezone": "Mars/Olympus"}, "timezone"),
    ("brand_name", {"brand_name": "N" * 121}, "brand_name"),
    ("website", {"website": "northwind dot example"}, "website"),
    ("website", {"website": "ftp://northwind.example"}, "website"),
    ("daily_run_time", {"daily_run_time": "7h30"}, "daily_run_time"),
    ("language", {"language": "English"}, "language"),
    ("brand_name", {"brand_name": "   "}, "brand_name"),
]


@pytest.mark.parametrize(("field", "bad", "api_field"), BAD_INPUT)
def test_a_new_brand_is_refused_with_the_apis_message(
    client, api_client, owner, field, bad, api_field
):
    api = api_client.post("/api/brands", {**brief_data(), **bad}, content_type="application/json")
    assert api.status_code == 422

    page = client.post("/brands/new/", form_data(**bad))

    assert page.status_code == 422
    shown = [unescape(m) for m in field_errors(page.content.decode(), field)]
    assert shown == [api_message(api)]
    assert not Brand.objects.exists()


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("positioning", {"positioning": "Small\x01batch"}),
        ("brand_name", {"brand_name": "North\x00"}),
    ],
)
def test_a_control_character_is_refused_as_the_api_refuses_it(
    client, api_client, owner, field, bad
):
    api = api_client.post("/api/brands", {**brief_data(), **bad}, content_type="application/json")
    assert api.status_code == 422

    page = client.post("/brands/new/", form_data(**bad))

    assert page.status_code == 422
    shown = field_errors(page.content.decode(), field)
    if "\x00" in bad[field]:  # Django refuses NUL in any form field first, in its own words
        assert shown == ["Null characters are not allowed."]
    else:
        assert shown == [api_message(api)]
    assert not Brand.objects.exists()


def test_a_too_long_list_item_names_its_line(client, api_client, owner):
    long_item = "x" * 301
    api = api_client.post(
        "/api/brands",
        {**brief_data(), "banned_terms": ["cheap", long_item]},
        content_type="application/json",
    )

    page = client.post("/brands/new/", form_data(banned_terms=f"cheap\n{long_item}"))

    shown = field_errors(page.content.decode(), "banned_terms")
    assert shown == [f"line 2: {api_message(api)}"]


def test_editing_a_brief_saves_it_and_shows_it_again(client, brand):
    page = client.get(f"/brands/{brand.pk}/").content.decode()
    assert "roasted to order\ndelivered within 48 hours</textarea>" in page

    answer = client.post(
        f"/brands/{brand.pk}/",
        form_data(brand_name="Northwind Roasters", banned_terms="cheap", approval_required=""),
    )

    assert answer.status_code == 302
    brand.refresh_from_db()
    assert brand.brand_name == "Northwind Roasters"
    assert brand.banned_terms == ["cheap"]
    assert brand.approval_required is False
    assert "Saved." in client.get(answer.url).content.decode()


@pytest.mark.parametrize(("field", "bad", "api_field"), BAD_INPUT)
def test_an_edit_is_refused_with_the_apis_message(client, api_client, brand, field, bad, api_field):
    api = api_client.patch(f"/api/brands/{brand.pk}", bad, content_type="application/json")
    assert api.status_code == 422

    page = client.post(f"/brands/{brand.pk}/", form_data(**bad))

    assert page.status_code == 422
    shown = [unescape(m) for m in field_errors(page.content.decode(), field)]
    assert shown == [api_message(api)]
    brand.refresh_from_db()
    assert brand.brand_name == "Northwind Coffee"


def test_a_viewer_reads_briefs_without_changing_them(viewer, brand):
    browser = Client()
    browser.force_login(viewer)

    listing = browser.get("/brands/").content.decode()
    page = browser.get(f"/brands/{brand.pk}/").content.decode()

    assert "New brand" not in listing
    assert "<fieldset disabled>" in page and "Save the brief" not in page
    assert browser.get("/brands/new/").status_code == 403
    assert browser.post("/brands/new/", form_data()).status_code == 403
    assert browser.post(f"/brands/{brand.pk}/", form_data(brand_name="X")).status_code == 403
    brand.refresh_from_db()
    assert brand.brand_name == "Northwind Coffee"


def test_the_list_costs_the_same_queries_for_120_brands(
    client, owner, django_assert_max_num_queries
):
    for n in range(120):
        make_brand(brand_name=f"Brand {n:03}")

    with django_assert_max_num_queries(SIGN_IN_QUERIES + 7):
        page = client.get("/brands/").content.decode()

    assert page.count('<tr id="brand-') == 50
    assert "Page 1 of 3" in page
