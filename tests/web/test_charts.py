"""Server-rendered SVG charts: bars proportional to their values, text escaped, every
value written out, and a message when there is nothing to draw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from clarion.web.charts import bar_chart, format_number, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"


def _widths(svg: str) -> dict[str, float]:
    """Each bar segment's width, by its title."""
    root = ET.fromstring(svg)
    return {
        rect.find(f"{SVG}title").text: float(rect.get("width"))
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    }


def test_bars_are_proportional_to_their_values():
    svg = bar_chart([("LinkedIn", 40), ("X", 10), ("Facebook", 20)], title="Published posts")

    widths = _widths(svg)
    assert widths["LinkedIn: 40"] == pytest.approx(4 * widths["X: 10"])
    assert widths["Facebook: 20"] == pytest.approx(2 * widths["X: 10"])
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 440 90"  # 3 rows of 26 px and the margins
    assert root.get("width") == "100%"  # scales to its container: a phone, a laptop


def test_a_chart_is_accessible_markup_with_its_values_written_out():
    svg = bar_chart({"Education": 1234, "Product": 5}, title="Impressions by pillar")

    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title.text == "Impressions by pillar"
    assert title.get("id") in root.get("aria-labelledby")
    assert root.find(f"{SVG}desc").text == "Education: 1,234; Product: 5."
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Education", "Product", "1,234", "5"} <= set(texts)


def test_stacked_bars_split_each_total_by_series_with_a_legend():
    svg = stacked_bars(
        [("LinkedIn", [8, 2, 0]), ("X", [3, 0, 1])],
        series=["published", "failed", "pending"],
        title="Posts by network",
    )

    widths = _widths(svg)
    assert widths["LinkedIn, published: 8"] == pytest.approx(4 * widths["LinkedIn, failed: 2"])
    assert widths["LinkedIn, published: 8"] == pytest.approx(8 * widths["X, pending: 1"])
    assert "LinkedIn, pending: 0" not in widths  # a zero draws nothing
    root = ET.fromstring(svg)
    legend = [t.text for t in root.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend == ["published", "failed", "pending"]
    assert "LinkedIn: 10 (published 8, failed 2, pending 0)" in root.find(f"{SVG}desc").text
    totals = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert totals == ["10", "4"]


def test_labels_and_titles_are_escaped():
    svg = bar_chart([('<script>alert("x")</script> & co', 3)], title="A <b>bold</b> title")

    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == "A <b>bold</b> title"


def test_a_long_label_is_cut_and_whole_in_its_title():
    label = "Thought leadership about small-batch coffee roasting"
    root = ET.fromstring(bar_chart([(label, 1)], title="Cut"))

    shown = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "label")
    assert shown.text.endswith("…") and len(shown.text) < len(label)
    assert shown.find(f"{SVG}title").text == label


@pytest.mark.parametrize("rows", [[], [("LinkedIn", 0), ("X", 0)]])
def test_nothing_to_draw_says_so(rows):
    svg = bar_chart(rows, title="Clicks by network", empty="No clicks in this period.")

    root = ET.fromstring(svg)
    assert "chart-empty" in root.get("class")
    assert [t.text for t in root.iter(f"{SVG}text")] == ["No clicks in this period."]
    assert not re.search(r"<rect[^>]*data-value", svg)


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf")])
def test_a_negative_or_undefined_value_is_refused(value):
    with pytest.raises(ValueError, match="zero or more"):
        bar_chart([("X", value)], title="Bad")


def test_each_row_needs_one_value_per_series():
    with pytest.raises(ValueError, match="2 values for 3 series"):
        stacked_bars([("X", [1, 2])], series=["a", "b", "c"], title="Bad")


def test_two_charts_on_a_page_have_different_ids():
    first = bar_chart([("X", 1)], title="Posts")
    second = bar_chart([("X", 2)], title="Posts")

    assert ET.fromstring(first).get("aria-labelledby") != ET.fromstring(second).get(
        "aria-labelledby"
    )


def test_numbers_are_written_for_people():
    assert format_number(1234567) == "1,234,567"
    assert format_number(2.5) == "2.5"
    assert format_number(3.0) == "3"
