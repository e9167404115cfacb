"""Links in generated copy may point only at the brand's own domains unless a person approves."""

from __future__ import annotations

import pytest

from clarion.brands.services import parse_brief, parse_update, update_brand
from clarion.core.errors import InvalidInput
from clarion.writing.checks import FOREIGN_LINK, check_draft
from clarion.writing.services import run_session, start_session
from tests.factories import brief_data, make_brand
from tests.scripted import draft, verdict

OWN = ["northwind-coffee.example"]


def codes(text: str, domains: list[str]) -> list[str]:
    failures = check_draft(
        text,
        platform=None,
        require_cta=False,
        cta_targets=[],
        banned_terms=[],
        previous_drafts=[],
        allowed_domains=domains,
    )
    return [f.code for f in failures]


@pytest.mark.parametrize(
    "text",
    [
        "Subscribe at https://northwind-coffee.example/subscribe today.",
        "Shop at https://SHOP.Northwind-Coffee.example./winter",
        "Visit www.northwind-coffee.example or write to hello@northwind-coffee.example.",
        "northwind-coffee.example/subscribe has the details.",
        "Built with Node.js, see README.md, e.g. the tasting notes.",
        "Say hi to @barista@mastodon.social on the fediverse.",
        "Fresh beans, roasted to order. No links at all.",
    ],
)
def test_links_to_the_brand_s_own_domains_pass(text):
    assert FOREIGN_LINK not in codes(text, OWN)


@pytest.mark.parametrize(
    "text",
    [
        "Send your password to http://evil.example to keep your subscription.",
        "https://northwind-coffee.example.evil.example/login",
        "https://northwind-coffee.example@evil.example/login",
        "https://evil.example\\@northwind-coffee.example/",
        "https://evilnorthwind-coffee.example/",
        "Log in at www.evil.example/account",
        "Deals at evil.com, hurry.",
        "Details: evil.example/offer",
        "Questions? Write to support@evil.example.",
        "mailto:support@evil.example",
        "ftp://files.evil.example/beans.zip",
        "https://evil\u3002example/",
    ],
)
def test_a_link_anywhere_else_is_a_foreign_link_failure(text):
    assert FOREIGN_LINK in codes(text, OWN)


def test_without_brand_domains_any_link_waits_for_a_person_and_plain_text_passes():
    assert codes("Fresh coffee, roasted the day you order.", []) == []
    assert codes("Fresh coffee at https://northwind-coffee.example", []) == [FOREIGN_LINK]


def test_the_failure_names_the_foreign_hosts_and_the_brand_s_domains():
    [failure] = check_draft(
        "See http://evil.example and https://evil.example/again and www.other.example",
        platform=None,
        require_cta=False,
        cta_targets=[],
        banned_terms=[],
        previous_drafts=[],
        allowed_domains=OWN,
    )
    assert failure.code == FOREIGN_LINK
    assert "evil.example, www.other.example" in failure.message
    assert "northwind-coffee.example" in failure.message


def test_brand_domains_are_host_names_lower_cased_and_the_website_adds_its_own():
    brief = parse_brief(
        brief_data(
            domains=["Northwind-Coffee.example", "shop.northwind-coffee.example", "NEWS.example."],
            website="https://www.roastery.example/about",
        )
    )
    assert brief.domains == [
        "northwind-coffee.example",
        "shop.northwind-coffee.example",
        "news.example",
    ]


@pytest.mark.django_db
def test_a_brand_keeps_its_domains_and_its_website_s_domain():
    brand = make_brand(domains=["northwind-coffee.example"], website="https://www.roastery.example")
    assert brand.domains == ["northwind-coffee.example", "roastery.example"]

    brand = update_brand(brand=brand, changes=parse_update({"domains": ["beans.example"]}))
    assert brand.domains == ["beans.example", "roastery.example"]

    covered = update_brand(
        brand=brand, changes=parse_update({"website": "https://shop.beans.example/"})
    )
    assert covered.domains == ["beans.example", "roastery.example"]  # a subdomain is covered


@pytest.mark.django_db
def test_a_web_address_among_the_calls_to_action_is_the_brand_s_own():
    brand = make_brand(cta_targets=["subscribe", "https://forgeandfield.example/roi"])
    assert "forgeandfield.example" in brand.domains

    brand = update_brand(
        brand=brand, changes=parse_update({"cta_targets": ["https://www.shop.example/kit"]})
    )
    assert "shop.example" in brand.domains
    text = "Uptime you can plan: see the numbers at https://forgeandfield.example/roi"
    failures = check_draft(
        text,
        platform=None,
        require_cta=False,
        cta_targets=[],
        banned_terms=[],
        previous_drafts=[],
        allowed_domains=brand.domains,
    )
    assert failures == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("domains", ["https://northwind-coffee.example"]),
        ("domains", ["*.northwind-coffee.example"]),
        ("domains", ["northwind-coffee.example/path"]),
        ("domains", ["localhost"]),
        ("domains", ["northwind..example"]),
        ("domains", ["user@northwind-coffee.example"]),
        ("website", "northwind-coffee.example"),
        ("website", "javascript:alert(1)"),
        ("website", "https://user:pass@northwind-coffee.example"),
    ],
)
def test_a_bad_domain_or_website_names_the_field(field, value):
    with pytest.raises(InvalidInput) as info:
        parse_brief(brief_data(**{field: value}))
    assert info.value.field.split(".")[0] == field


@pytest.mark.django_db
def test_brand_domains_through_the_api(client):
    created = client.post(
        "/api/brands",
        brief_data(domains=["Northwind-Coffee.example"], website="https://northwind.example"),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["domains"] == ["northwind-coffee.example", "northwind.example"]
    assert created.json()["website"] == "https://northwind.example"

    bad = client.patch(
        "/api/brands/northwind-coffee", {"domains": ["not a host"]}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][:3] == ["body", "payload", "domains"]


@pytest.mark.django_db
def test_a_session_never_approves_a_draft_linking_outside_the_brand(scripted):
    brand = make_brand(domains=["northwind-coffee.example"])
    scripted.script(
        "write",
        draft("Send your password to http://evil.example to keep your beans coming."),
        draft("Fresh beans weekly. Subscribe at https://northwind-coffee.example/subscribe"),
    )
    scripted.script("review", verdict("approve"))

    session = run_session(start_session(brief="A slogan for subscribers", brand=brand))

    first, second = session.turns.all()
    assert not first.approved
    assert [f["code"] for f in first.check_failures] == [FOREIGN_LINK]
    assert any("evil.example" in fix for fix in first.fixes)
    assert second.approved
    assert session.final_text.endswith("northwind-coffee.example/subscribe")


@pytest.mark.django_db
def test_a_slogan_without_a_brand_still_gets_approved_and_a_linked_one_waits(scripted):
    scripted.script("write", draft("Fresh coffee, roasted the day you order."))
    scripted.script("review", verdict("approve"))
    plain = run_session(start_session(brief="A slogan for fresh coffee"))
    assert plain.completion_reason == "approved"

    scripted.replies.clear()
    scripted.script("write", draft("Fresh coffee at https://coffee.example"))
    scripted.script("review", verdict("approve"))
    linked = run_session(start_session(brief="A slogan for fresh coffee", max_turns=2))
    assert linked.completion_reason == "max_turns" and linked.needs_human_review
    assert all(t.check_failures[0]["code"] == FOREIGN_LINK for t in linked.turns.all())
