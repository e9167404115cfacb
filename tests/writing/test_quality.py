"""The quality checks: each catches the defects users saw, and passes good copy."""

from __future__ import annotations

from typing import Any

import pytest

from clarion.agents.schemas import BrandContext, Poll
from clarion.writing.quality import DraftContext, quality_issues
from clarion.writing.quality.brief import read_brief
from clarion.writing.quality.counts import count_mismatches
from clarion.writing.quality.grammar import broken_patterns, cta_form_errors
from clarion.writing.quality.guidelines import guideline_issues
from clarion.writing.quality.hashtags import junk_hashtags, stray_hashtags
from clarion.writing.quality.labels import leaked_labels
from clarion.writing.quality.language import detect_language, wrong_language
from clarion.writing.quality.material import unsafe_content, verbatim_lines
from clarion.writing.quality.poll import poll_issues
from clarion.writing.quality.repeats import boilerplate, repetition

NORTHWIND = BrandContext(
    brand_name="Northwind Coffee",
    positioning="Small-batch coffee roasted to order and delivered within 48 hours, so every "
    "cup tastes like it came straight from the roastery.",
    target_audience="remote workers and home baristas who care about fresh coffee",
    value_props=["roasted to order", "delivered within 48 hours", "traceable single-origin beans"],
    tone="friendly",
    cta_targets=["subscribe", "free tasting kit"],
    guidelines_do=["mention freshness or origin in every post"],
    guidelines_dont=["promise health benefits", "mock other coffee brands"],
    banned_terms=["cheap"],
)
ATELIER = BrandContext(
    brand_name="L'Atelier Vélo",
    positioning="Un atelier associatif où l'on répare son vélo soi-même.",
    target_audience="cyclistes du quotidien",
    value_props=["réparer son vélo soi-même", "pièces d'occasion à petit prix"],
    language="fr-FR",
    cta_targets=["venir à l'atelier", "adhérer"],
    guidelines_do=["vouvoyer les lecteurs"],
)
SLOT_BRIEF = (
    "A LinkedIn post about Poll: what matters most to remote workers?\n"
    "Content pillar: community. Angle: myth-busting. Hook: contrarian. Format: poll.\n"
    "Call to action: subscribe."
)
OLD_POST = (
    "Forget what you've heard about Poll.\n\n"
    "Northwind Coffee makes it easy. Made with remote workers and home baristas who care about "
    "fresh coffee in mind. Roasted to order.\n\n"
    "Today's focus: myth-busting. We're here to help.\n\nSubscribe today.\n\n"
    "#NorthwindCoffee #Poll"
)
GOOD_POST = (
    "Ever wondered how fresh your coffee really is?\n\n"
    "Every Northwind Coffee bag is roasted to order and reaches you within 48 hours, with "
    "beans you can trace to their origin.\n\n"
    "Get your free tasting kit today.\n\n#NorthwindCoffee #SingleOriginBeans"
)


def codes(issues: list[Any]) -> set[str]:
    return {issue.code for issue in issues}


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Forget what you've heard about Poll. Subscribe today.", ["poll"]),
        ("4 things to know about Practical tips:\n• Fresh\n• Local\n• Fast", ["practical tips"]),
        ("How to make the most of Customer story:", ["customer story"]),
        ("Today's focus: myth-busting. We're here to help.", ["myth-busting"]),
        ("This one is about freshness.", []),
        ("Fresh beans, every week. #NorthwindCoffee #Poll", []),
        ("Myth-busting: coffee is not bitter.", ["myth-busting"]),
        ("Sondage : que préférez-vous ?", []),
        ("Our take on social_proof this week.", []),
    ],
)
def test_leaked_labels_are_caught(text: str, labels: list[str]) -> None:
    issues = leaked_labels(text, labels)
    assert issues and all(i.code == "leaked_label" for i in issues), text
    assert all(i.fix.startswith("remove_label:") for i in issues)


@pytest.mark.parametrize(
    "text",
    [
        "Three practical tips for storing your beans at home.",
        "Join our community of home baristas. Take the poll below.",
        "We care about education and the stories behind every bag.",
        "Behind the scenes at the roastery, every batch is tasted.",
    ],
)
def test_ordinary_words_that_happen_to_be_labels_pass(text: str) -> None:
    assert leaked_labels(text, ["practical tips", "customer story", "community", "poll"]) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Imaginez votre semaine avec notre que beaucoup comprennent mal à vos côtés.", "fr"),
        ("Découvrez adhérer dès aujourd'hui.", "fr"),
        ("C'est une histoire de entraide.", "fr"),
        ("Venez chercher de les pièces.", "fr"),
        ("Get your subscribe today.", "en"),
        ("It is a easy win.", "en"),
        ("The the best beans.", "en"),
        ("Made for the.", "en"),
        ("Fresh beans for {audience}.", "en"),
        ("Simply put: better still, Forge & Field works with the machines you have.", "en"),
        ("Good news: you also get traceable single-origin beans.", "en"),
        ("En bref : mieux encore, l'atelier ouvre le samedi.", "fr"),
    ],
)
def test_broken_grammar_is_caught(text: str, lang: str) -> None:
    issues = broken_patterns(text, lang)
    assert [i.code for i in issues] == ["broken_grammar"], text
    assert issues[0].fix.startswith("fix_grammar:") and "“" in issues[0].fix


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Un de nos bénévoles vous guide. Ce que vous aimez, ce qui compte.", "fr"),
        ("Pour le découvrir, venez nous voir à l'atelier.", "fr"),
        ("Envie d'adhérer ? Pensez à venir à l'atelier cette semaine.", "fr"),
        ("This is a one-time offer for a user like you, and an SEO audit too.", "en"),
        ("It's what we're here for. Book a demo today.", "en"),
        ("Good news: you get fresh beans every week.", "en"),
        ("Details here: https://forgeandfield.example/roi", "en"),
        ("En bref : l'atelier ouvre le samedi.", "fr"),
    ],
)
def test_correct_sentences_pass_the_grammar_check(text: str, lang: str) -> None:
    assert broken_patterns(text, lang) == []


@pytest.mark.parametrize(
    ("text", "targets", "lang"),
    [
        ("Découvrez adhérer dès aujourd'hui.", ["adhérer"], "fr"),
        ("Imaginez notre venir à l'atelier.", ["venir à l'atelier"], "fr"),
        ("Get your subscribe today.", ["subscribe"], "en"),
        ("Free tasting kit today.", ["free tasting kit"], "en"),
        ("Réservez démo.", ["démo"], "fr"),
    ],
)
def test_calls_to_action_in_the_wrong_form_are_caught(
    text: str, targets: list[str], lang: str
) -> None:
    assert codes(cta_form_errors(text, targets, lang)) == {"cta_form"}


@pytest.mark.parametrize(
    ("text", "targets", "lang"),
    [
        ("Subscribe today, or get your free tasting kit.", ["subscribe", "free tasting kit"], "en"),
        ("Ready when you are: subscribe.", ["subscribe"], "en"),
        ("Envie d'adhérer ? Il ne vous reste plus qu'à venir à l'atelier.",
         ["adhérer", "venir à l'atelier"], "fr"),
        ("Réservez votre démo cette semaine.", ["démo"], "fr"),
        ("See how it works: https://forge.example/roi", ["https://forge.example/roi"], "en"),
    ],
)  # fmt: skip
def test_calls_to_action_in_the_right_form_pass(text: str, targets: list[str], lang: str) -> None:
    assert cta_form_errors(text, targets, lang) == []


def test_boilerplate_from_recent_posts_is_caught_and_a_bare_call_to_action_may_recur() -> None:
    recent = ["Invoices in two clicks. That's the Ledgerly difference.", "Ready? Book a demo."]
    text = "Month-end in an hour. That's the Ledgerly difference.\n\nBook a demo."

    issues = boilerplate(text, recent, ["book a demo"])

    assert [i.code for i in issues] == ["boilerplate"]
    assert issues[0].fix.startswith("rewrite_sentence: replace “That's the Ledgerly difference.”")
    assert "1 of the brand's last 2 posts" in issues[0].message
    assert boilerplate("Month-end in an hour, every month.", recent) == []
    assert [i.code for i in boilerplate(text, recent)] == ["boilerplate", "boilerplate"]


def test_repetition_over_a_month_measures_the_top_sentence_and_the_repeats() -> None:
    posts = [f"Post {i} is fresh. That's the Ledgerly difference." for i in range(10)]

    stats = repetition(posts)

    assert stats.top_sentence == "that's the ledgerly difference"
    assert stats.top_share == 1.0 and stats.repeated == 9 and stats.sentences == 20


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("4 things to know about coffee:\n• Fresh\n• Local\n• Fast\n\nSubscribe.", "en", True),
        ("3 reasons to switch:\n• Fresh\n• Local\n• Fast", "en", False),
        ("Three things matter: freshness, origin and speed.", "en", False),
        ("Two things matter: freshness, origin and speed.", "en", True),
        ("Trois raisons de venir : les outils, les bénévoles.", "fr", True),
        ("We deliver in 48 hours. One of the 3 reasons we roast to order.", "en", False),
    ],
)
def test_a_promised_count_must_match_its_list(text: str, lang: str, found: bool) -> None:
    assert bool(count_mismatches(text, lang)) is found


def test_a_post_or_a_sentence_in_another_language_is_caught() -> None:
    assert detect_language("Réservez votre démo et découvrez Planeo avec nous.") == "fr"
    assert detect_language("Book a demo and see how it works for your team.") == "en"
    mixed = "Le planning de la semaine, pour vous. Book a demo and see how it works for your team."
    assert codes(wrong_language(mixed, "fr")) == {"wrong_language"}
    english = "Book a demo and see how it works for your team. It is the best way to start."
    assert "French" in wrong_language(english, "fr")[0].message
    assert wrong_language("Le planning de la semaine en dix minutes, pour vous.", "fr") == []


def test_do_and_dont_guidelines_are_checked_where_a_program_can_see_them() -> None:
    def broken(text: str, brand: BrandContext) -> set[str]:
        return codes(
            guideline_issues(
                text, do=brand.guidelines_do, dont=brand.guidelines_dont,
                value_props=brand.value_props,
            )
        )  # fmt: skip

    assert broken("Better for your health. Fresh beans.", NORTHWIND) == {"guideline_dont"}
    assert broken("Unlike other coffee brands, ours is fresh.", NORTHWIND) == {"guideline_dont"}
    assert broken("Roasted to order, at your door.", NORTHWIND) == {"guideline_do"}
    assert broken("Northwind is a coffee brand for fresh mornings.", NORTHWIND) == set()
    assert broken("Tu vas adorer réparer ton vélo.", ATELIER) == {"guideline_do"}
    assert codes(guideline_issues("Wow!", do=[], dont=["use exclamation marks"])) == {
        "guideline_dont"
    }


def test_stray_hashtags_are_caught_and_brand_and_subject_tags_pass() -> None:
    assert codes(junk_hashtags("Fresh. #Decides #Beaucoup")) == {"stray_hashtag"}
    assert junk_hashtags("Fresh. #NorthwindCoffee #SingleOriginBeans") == []
    material = ["Northwind Coffee", "traceable single-origin beans", "pièces d'occasion"]
    assert stray_hashtags("#NorthwindCoffee #SingleOriginBeans #PiècesOccasion", material) == []
    assert stray_hashtags("#NorthwindCoffee #MondayMotivation #Decides", material) == [
        "#MondayMotivation",
        "#Decides",
    ]


def test_pasted_brand_lines_links_and_requests_for_secrets_are_caught() -> None:
    lines = [NORTHWIND.positioning, NORTHWIND.target_audience, *NORTHWIND.value_props]
    assert codes(verbatim_lines("Fresh today. Roasted to order.", lines)) == {"verbatim_brand"}
    pasted = "Made for remote workers and home baristas who care about fresh coffee."
    assert codes(verbatim_lines(pasted, lines)) == {"verbatim_brand"}
    assert verbatim_lines("Every bag is roasted to order, for remote workers.", lines) == []
    hostile = "Send your password to http://evil.example to unlock a free class."
    assert codes(unsafe_content(hostile)) == {"unsafe_link", "unsafe_content"}
    assert (
        unsafe_content("See how it works: https://forge.example/roi", ["https://forge.example/roi"])
        == []
    )


def test_a_poll_slot_needs_a_poll_a_network_can_run() -> None:
    assert codes(poll_issues(None, wanted=True, platform="X")) == {"missing_poll"}
    assert poll_issues(None, wanted=True, platform="Facebook") == []  # no polls there
    good = Poll(question="What matters most to you?", options=["Roasted to order", "Origin"])
    assert poll_issues(good, wanted=True, platform="LinkedIn") == []
    same = Poll(question="Which one?", options=["Fresh", "fresh"])
    assert codes(poll_issues(same, wanted=True, platform="X")) == {"bad_poll"}
    assert codes(poll_issues(good, wanted=False, platform="Facebook")) == {"bad_poll"}
    label = Poll(question="Poll: which one?", options=["A lot", "A little"])
    assert "poll" in poll_issues(label, wanted=True, platform="X", labels=["poll"])[0].message


def test_the_old_engines_post_fails_and_a_good_post_passes() -> None:
    context = DraftContext(
        brief=SLOT_BRIEF,
        brand=NORTHWIND,
        platform="LinkedIn",
        angle="myth-busting",
        hook_style="contrarian",
        recent_posts=["We're here to help. Subscribe."],
    )
    found = codes(quality_issues(OLD_POST, context))
    assert {"leaked_label", "verbatim_brand", "boilerplate", "missing_poll"} <= found
    plain = DraftContext(brief="A LinkedIn post about freshness", brand=NORTHWIND, platform="X")
    assert quality_issues(GOOD_POST, plain) == []
    poll = Poll(question="What matters most to you?", options=["Roasted to order", "Origin"])
    assert "missing_poll" not in codes(quality_issues(OLD_POST, context, poll))


def test_a_slot_brief_is_read_into_its_labelled_fields() -> None:
    fields = read_brief(
        SLOT_BRIEF + "\nTone: friendly.\nDo: be warm; mention origin.\nDon't: shout."
    )
    assert fields.subject.startswith("A LinkedIn post about Poll")
    assert (fields.pillar, fields.angle, fields.hook, fields.format) == (
        "community", "myth-busting", "contrarian", "poll",
    )  # fmt: skip
    assert fields.wants_poll and fields.cta == "subscribe"
    assert fields.do == ("be warm", "mention origin") and fields.dont == ("shout",)
    campaign = read_brief(
        "Write a post about Roasting: how it works.\nObjective: Explain it.\n"
        "Hook idea: Most people never ask this.\nCampaign phase 3: Launch: pivot to office teams.\n"
        "Campaign goal: Launch the winter blend"
    )
    assert campaign.hook_idea == "Most people never ask this" and campaign.hook == ""
    assert campaign.phase == "Launch: pivot to office teams"
    assert campaign.goal == "Launch the winter blend"
    assert "Most people" not in " ".join(campaign.labels())
