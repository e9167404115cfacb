"""What the offline writer says in English: sentence frames with typed slots.

Slots: ``{subject}`` (a noun phrase or a gerund: "single-origin beans", "pausing your
subscription"), ``{audience}``, ``{brand}``, ``{category}`` ("small-batch coffee"), ``{p}`` (a
value proposition in the form its frame expects), ``{p_np}`` (the same as a noun phrase),
``{N}`` (how many items a list holds), ``{action}`` (a call to action), ``{x}`` (what a brand
rule asks for). A capital first letter (``{Subject}``) capitalises the value. Agreement:
``{is}``, ``{it}``, ``{it_is}`` and ``{v:verb}`` follow the subject's number; ``{p_is}`` the
value proposition's. A frame starting with ``T|`` suits a thing only, ``A|`` an action only.
A frame is used only when every slot it names has a value, so a brand without an audience
never gets "Made for ." — and no frame is ever used for a label of the plan.
"""

from __future__ import annotations

from clarion.agents.offline.copybook import Copybook

ENGLISH = Copybook(
    hooks={
        "question": (
            "How much do you really know about {subject}?",
            "What would {subject} change in your week?",
            "Ready to rethink {subject}?",
            "When did you last think twice about {subject}?",
            "Why do {audience} care so much about {subject}?",
            "What if {subject} took half the effort?",
            "Have you tried {subject} yet?",
            "What makes {subject} worth it?",
        ),
        "statistic": (
            "{N} reasons {audience} pick {brand}:",
            "{N} things to know about {subject}:",
            "{N} ways {brand} makes {subject} easier:",
            "{N} details that make {subject} worth it:",
            "{Subject}, in {N} points:",
        ),
        "bold claim": (
            "{Subject} {v:deserve} better than “good enough”.",
            "{Subject} should be simple. We made sure {it_is}.",
            "We think {subject} {is} underrated.",
            "Here's our take: {subject} {v:matter} more than most people think.",
            "{Subject}, done properly.",
            "Small detail, big difference: {subject}.",
            "{Subject} {is} worth getting right.",
        ),
        "story": (
            "It's Monday, the week is already full, and {subject} should be the easy part.",
            "Picture a week where you never have to think twice about {subject}.",
            "T|Every week we hear from {audience} who want {subject} without the hassle.",
            "A quick story about {subject}, and why we care.",
            "The best part of a good day? Not having to worry about {subject}.",
            "It started with a simple question: could {subject} be easier?",
        ),
        "how-to": (
            "Here's how {audience} get more from {subject}.",
            "A simple way to make {subject} work for you.",
            "T|Getting {subject} right is easier than it looks.",
            "The easiest way to start with {subject}? Keep it simple.",
            "Want more from {subject}? Start here.",
            "How to get more from {subject}, without extra effort.",
        ),
        "contrarian": (
            "Unpopular opinion: {subject} shouldn't be complicated.",
            "Most advice about {subject} misses the point.",
            "Think {subject} {is} complicated? Think again.",
            "{Subject} {is} often misunderstood. Let's fix that.",
            "Forget the hype around {subject}. Here's what actually matters.",
            "Stop overthinking {subject}.",
        ),
        "announcement": (
            "Meet {subject}.",
            "New: {fresh}.",
            "It's here: {subject}.",
            "Say hello to {subject}.",
        ),
        "explainer": (
            "Here's {wh} {clause}.",
            "Ever wondered {wh} {clause}?",
            "{Wh} {clause}? Let's break it down.",
        ),
    },
    bodies={
        "tips": (
            "The small details make the biggest difference with {subject}.",
            "Start with one change, then build from there.",
            "Keep it simple, and the results follow.",
            "A little attention goes a long way with {subject}.",
            "You don't need a big overhaul to get more from {subject}.",
            "The best habits around {subject} are the simple ones.",
        ),
        "myth": (
            "There's a lot of noise about {subject}; the reality is simpler than it sounds.",
            "The truth is less complicated than the rumours.",
            "The reality? It's simpler than most people think.",
            "Most of what you hear about {subject} comes from people who haven't tried {it}.",
            "{Subject} {is} easier to get right than {it_is} made out to be.",
        ),
        "story": (
            "That's exactly the moment we design for.",
            "It's the kind of small win that adds up over a month.",
            "Small moments like this are why we do what we do.",
            "A good week is built on small things that just work, and {subject} should be one.",
            "Nobody should have to think twice about {subject}.",
        ),
        "numbers": (
            "A few facts say more than a long pitch.",
            "The facts speak for themselves.",
            "Here's what {subject} {v:look} like once you look past the claims.",
            "Numbers beat adjectives, so here are the facts about {subject}.",
        ),
        "mistakes": (
            "The most common mistake with {subject}? Treating {it} as an afterthought.",
            "Leaving {subject} to chance is the easiest mistake to make.",
            "Overcomplicating {subject} is the mistake we see most.",
            "The usual mistake is waiting too long to sort out {subject}.",
        ),
        "steps": (
            "One step at a time is all it takes.",
            "It's simpler than it looks, one step after the other.",
            "T|Getting {subject} right takes fewer steps than you'd expect.",
            "Start small with {subject}, and build from there.",
        ),
        "before_after": (
            "Before: making do. After: {p_np}.",
            "Before: one more thing to manage. After: {p_np}.",
            "Before: settling for less. After: {p_np}.",
        ),
        "lessons": (
            "What we keep learning from {audience}: the small details add up.",
            "If there's one lesson here, it's that the basics matter most.",
            "The lesson we keep relearning: {subject} {v:work} best when {it_is} simple.",
            "We've learned that {subject} {is} never just a detail.",
        ),
        "faq": (
            "A question we hear a lot: “{Is} {subject} worth it?” Short answer: yes.",
            "People often ask whether {subject} {is} worth the switch. {It_is}, and here's why.",
            "“Where do I start with {subject}?” We hear it often, and the answer is simple.",
        ),
        "trend": (
            "T|More and more {audience} are rethinking {subject}.",
            "Expectations around {subject} are changing fast.",
            "What people expect from {subject} has moved on, and so have we.",
        ),
        "benefit": (
            "{Subject} should make your day easier, not harder.",
            "Less hassle, more of what you came for.",
            "The point of {subject} is simple: more of what you want, less of what you don't.",
        ),
        "problem": (
            "The problem with {subject}? It's usually harder than it needs to be. "
            "That's the part we fixed.",
            "If {subject} {v:feel} like a chore, something is wrong. We set out to fix that.",
            "{Subject} shouldn't cost you time or patience.",
        ),
        "behind": (
            "T|Behind {subject} there's a team that cares about the details.",
            "There's more care behind {subject} than you might think.",
            "A lot happens before {subject} reaches you, and none of it is left to chance.",
        ),
        "launch": (
            "It's new, and it's ready for you.",
            "We've been working on this for a while, and it's finally here.",
            "It took time to get right, and we think you'll like it.",
        ),
        "community": (
            "T|We love hearing how {audience} make {subject} their own.",
            "Some of our best ideas come from people like you.",
            "Everyone has their own way with {subject}, and we want to hear yours.",
        ),
        "proof": (
            "It's one of the reasons {audience} stay with {brand}.",
            "That's what keeps people coming back to {brand}.",
            "It's the part of {subject} people notice first.",
        ),
        "thought": (
            "We believe {subject} should be simple, honest and built around the people who "
            "rely on {it}.",
            "T|The future of {subject} is simpler than the industry makes it look.",
            "We think {subject} deserves more attention than it gets.",
        ),
    },
    benefits={
        "thing": (
            "With {brand}, you get {p}.",
            "You also get {p}.",
            "{P}, as standard.",
            "Expect {p}, every time.",
            "And yes, {p} {p_is} part of the deal.",
            "{P}: that's part of what {brand} means.",
            "{Brand} gives you {p}.",
        ),
        "quality": (
            "Your {category}, {p}.",
            "At {brand}, it's all {p}.",
            "It's {p}, every time.",
            "{Category}, {p}: that's the {brand} way.",
            "Everything at {brand} is {p}.",
        ),
        "action": (
            "You can {p}.",
            "Need to {p}? Go ahead.",
            "And you can {p}.",
            "It's easy to {p}.",
            "With {brand}, you can {p}.",
            "You're free to {p}.",
        ),
        "predicate": ("{Brand} {p}.", "Better still, {brand} {p}.", "And {brand} {p}."),
        "pair": (
            "Your {category}, {p} and {p2}.",
            "At {brand}, it's all {p} and {p2}.",
            "{Category}, {p} and {p2}: that's the {brand} way.",
        ),
        "clause": ("Good to know: {p}.", "Here's the thing: {p}."),
    },
    leads=(
        "",
        "",
        "Good news: ",
        "Here's the difference: ",
        "In practice: ",
        "Simply put: ",
        "On a practical note: ",
    ),
    more_leads=("", "", "Better still: ", "And there's more: ", "On top of that: ", "Plus: "),
    items={
        "thing": ("You get {p}", "{P}, as standard", "{P}, every time"),
        "quality": ("Always {p}", "{Category} {p}", "It's {p}"),
        "action": ("You can {p}", "The freedom to {p}", "You're free to {p}"),
        "predicate": ("It {p}",),
        "clause": ("Good to know: {p}",),
    },
    audience=(
        "Made for {audience}.",
        "Built with {audience} in mind.",
        "For {audience}, that means one less thing to worry about.",
        "T|Made for {audience} who want {subject} without the fuss.",
        "It fits into the routines of {audience}.",
        "Designed for {audience}, from the first day.",
        "T|Whether you're new to {subject} or a regular, it fits your routine.",
        "If you're one of the {audience} we work with, you'll feel the difference.",
        "We built it for {audience}, and it shows.",
        "For {audience}, it simply works.",
        "Ask {audience} what they value most, and this comes up.",
        "Made with the everyday life of {audience} in mind.",
        "Good for {audience}, and good for your week.",
    ),
    ctas={
        "transactional": (
            "{Action} today.",
            "{Action} this week.",
            "Ready when you are: {action}.",
            "If you're curious, {action}.",
            "No reason to wait: {action}.",
            "Go ahead: {action}.",
            "Start now: {action}.",
            "{Action} and see for yourself.",
            "{Action} and see the difference.",
            "Your next step: {action}.",
            "{Action}; we'll take it from there.",
            "Curious about {subject}? {Action}.",
            "T|Want {subject} without the hassle? {Action}.",
            "The easiest first step: {action}.",
            "To get started, {action}.",
            "Take the first step: {action}.",
            "See for yourself: {action}.",
            "{Action} and see what {subject} can do for you.",
        ),
        "plain": (
            "Your turn: {action}.",
            "Over to you: {action}.",
            "We'd love to hear from you: {action}.",
            "Curious about {subject}? {Action}.",
        ),
        "link": (
            "More at {action}",
            "See how it works: {action}",
            "Details here: {action}",
            "Find out more: {action}",
            "The full story: {action}",
        ),
        "infinitive": ("Want to {action}? We'd love to see you.",),
    },
    rules={
        "welcome": (
            "{X} are always welcome here.",
            "New to this? {X} are very welcome.",
            "{X} are welcome, always.",
            "Everyone starts somewhere: {x} are welcome.",
        ),
        "mention": (
            "It all comes back to {x}.",
            "{X}, always.",
            "We never compromise on {x}.",
            "Everything starts with {x}.",
            "{X} isn't optional here.",
            "{X} is where it starts.",
        ),
    },
    poll_intros=(
        "Quick question for {audience}:",
        "We'd love your take:",
        "Help us settle this one:",
        "Your turn to weigh in:",
    ),
    poll_votes=(
        "Vote below, and tell us why in the comments.",
        "Cast your vote below.",
        "Pick one below; we'll share the results.",
    ),
    poll_questions={
        "props": ("What matters most to you in {category}?", "Which one matters most to you?"),
        "yes": ("Have you tried {subject}?",),
        "truefalse": ("True or false: {subject} {is} complicated?",),
        "stand": ("Where do you stand on {subject}?",),
    },
    poll_options={
        "yes": ("Yes, regularly", "Once or twice", "Not yet"),
        "truefalse": ("True", "False", "It depends"),
        "stand": ("Love it", "Curious", "Not for me"),
    },
    words={"subject_default": "what we do", "audience_default": "people like you"},
)
