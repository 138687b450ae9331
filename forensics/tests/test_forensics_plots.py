"""forensics.plots and forensics.notes: well-formed, accessible SVG; numbers in the reader's
language; the notes say the same as electionstats' English notes."""

import xml.dom.minidom

import pytest
from django.utils import translation

from electionstats.forensics import NOTES as ENGLISH_NOTES
from electionstats.forensics import OUTLIER_REASONS as ENGLISH_REASONS
from electionstats.forensics import run_suite
from forensics import notes, plots, report


def parse(svg: str):
    return xml.dom.minidom.parseString(svg).documentElement  # noqa: S318 - our own output


def test_the_translatable_notes_are_the_statistics_notes():
    assert {k: str(v) for k, v in notes.NOTES.items()} == ENGLISH_NOTES
    assert {k: str(v) for k, v in notes.OUTLIER_REASONS.items()} == ENGLISH_REASONS


def test_heat_levels_follow_a_log_scale():
    assert plots.heat_level(0, 1000) == 0
    assert plots.heat_level(1, 1000) == 1
    assert plots.heat_level(1000, 1000) == plots.HEAT_LEVELS
    assert plots.heat_level(30, 1000) == 4  # 8 · log(31) / log(1001) = 3.98


def test_a_histogram_is_an_accessible_image_with_escaped_text():
    svg = plots.histogram(
        [0, 0.5, 1],
        [3, 7],
        plot_id="p",
        title="A <b> title",
        desc="Described & drawn",
        x_label="Turnout",
        marker=0.6,
        marker_label="overall",
    )
    root = parse(svg)
    assert root.getAttribute("role") == "img"
    assert root.getAttribute("aria-labelledby") == "p-title p-desc"
    assert root.getElementsByTagName("title")[0].firstChild.data == "A <b> title"
    assert (
        len([r for r in root.getElementsByTagName("rect") if r.getAttribute("class") == "fx-bar"])
        == 2
    )
    assert "style=" not in svg


def test_the_fingerprint_merges_runs_and_has_a_legend():
    counts = [[0] * 10 for _ in range(10)]
    counts[2][3] = counts[2][4] = 5  # one run of two cells of the same colour
    counts[9][9] = 100
    root = parse(
        plots.fingerprint(counts, plot_id="f", title="t", desc="d", x_label="x", y_label="y")
    )
    cells = [
        r
        for r in root.getElementsByTagName("rect")
        if r.getAttribute("class").startswith("fx-heat-") and r.getAttribute("width") == "40"
    ]
    assert len(cells) == 2
    assert sorted(c.getAttribute("height") for c in cells) == ["40", "80"]
    labels = [t.firstChild.data for t in root.getElementsByTagName("text")]
    assert "Stations per cell" in labels
    assert any(label.endswith("100") for label in labels)


def test_the_comb_labels_only_the_percentages_it_shows():
    edges = [40 + k / 10 for k in range(201)]  # 40.0 … 60.0
    counts = [1] * 200
    counts[100] = 30  # a spike at 50.0%
    root = parse(plots.comb(edges, counts, plot_id="c", title="t", desc="d", x_label="x"))
    labels = [t.firstChild.data for t in root.getElementsByTagName("text")]
    assert "40%" in labels and "50%" in labels and "60%" in labels
    assert "0%" not in labels and "100%" not in labels
    spikes = [r for r in root.getElementsByTagName("rect") if r.getAttribute("class") == "fx-spike"]
    assert len(spikes) == 20  # 40.0, 41.0, …, 59.0


@pytest.mark.django_db
def test_every_section_of_a_real_run_draws(synthetic_table):
    result = run_suite(synthetic_table, simulations=20)
    sections = report.sections(result)
    assert [s.key for s in sections] == list(notes.TESTS)
    for section in sections:
        assert section.sentences and section.note
        for svg in section.plots:
            parse(svg)


def test_numbers_are_written_in_the_reader_s_language(synthetic_table):
    result = run_suite(synthetic_table, simulations=20)
    with translation.override("ru"):
        lines = notes.summary_lines(result)
    assert "305" in lines[0]
    with translation.override("en"):
        assert notes.percent(0.4576) == "45.8%"
        assert notes.p_value(0.00001) == "< 0.001"
        assert notes.p_value(None) == "—"
