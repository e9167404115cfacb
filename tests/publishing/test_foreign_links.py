"""A post linking outside the brand's own domains is never published without a person."""

from __future__ import annotations

import pytest

from clarion.publishing.models import DailyContentPackage, Publication
from clarion.publishing.services import run_daily
from tests.factories import make_brand
from tests.publishing.helpers import DAY, make_plan
from tests.scripted import draft, verdict

pytestmark = pytest.mark.django_db


def test_a_post_with_a_foreign_link_fails_its_checks_and_is_not_published(scripted):
    brand = make_brand(domains=["northwind-coffee.example"])
    make_plan(brand, networks=("LinkedIn",))
    scripted.script(
        "write",
        draft("Fresh beans weekly. Subscribe and send your password to http://evil.example"),
    )
    scripted.script("review", verdict("approve"))

    run_daily(date=DAY)

    publication = Publication.objects.get()
    assert publication.state == "failed"
    assert "evil.example" in publication.error
    assert DailyContentPackage.objects.get().check_failures[0]["code"] == "foreign_link"


def test_a_post_linking_to_the_brand_s_own_site_is_published(scripted):
    brand = make_brand(domains=["northwind-coffee.example"])
    make_plan(brand, networks=("LinkedIn",))
    text = "Fresh beans weekly. Subscribe at https://shop.northwind-coffee.example/weekly"
    scripted.script("write", draft(text))
    scripted.script("review", verdict("approve"))

    run_daily(date=DAY)

    assert Publication.objects.get().state == "published"
    assert Publication.objects.get().content == text
