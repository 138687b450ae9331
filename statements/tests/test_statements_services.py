"""The statement services: the figures, the draft in three languages, editing, publishing."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from statements import services
from statements.models import Recommendation, Statement

pytestmark = pytest.mark.django_db


def test_figures_count_coverage_findings_incidents_and_results(built, election, analyst):
    figures = services.build_figures(election)
    coverage = figures["coverage"]
    assert coverage["stations"] == 5
    assert coverage["observers_deployed"] == 1
    assert coverage["stations_observed"] == 1
    assert coverage["forms"] == [{"kind": "opening", "stations": 2}]
    assert coverage["reports"] == 2 and coverage["submissions"] == 1
    assert figures["alerts"] == {"raised": 1, "handled": 0}
    protocols = figures["protocols"]
    assert (protocols["total"], protocols["accepted"], protocols["quarantined"]) == (2, 1, 1)
    assert protocols["quarantine_share"] == 0.5
    assert protocols["failed_checks"][0]["code"] == "votes-equal-valid"
    assert protocols["failed_checks"][0]["label"]["en"].startswith("The options' votes")
    assert figures["incidents"]["verified"] == 2
    assert figures["incidents"]["published"] == 1

    [quick] = figures["quick_count"]
    assert quick["published"] is True
    assert quick["turnout"]["estimate"] == 0.64
    assert [row["quantity"] for row in quick["options"]] == ["option:1", "option:2", "option:3"]
    assert quick["options"][0]["label"]["ru"] == "Кандидат А"

    [official] = figures["official"]
    assert official["turnout"] == pytest.approx(2100 / 3275)
    assert official["options"][0]["ballot_number"] == 1
    [compared] = figures["comparison"]
    inside = {row["quantity"]: row["inside95"] for row in compared["rows"]}
    assert inside == {
        "turnout": True,
        "invalid": True,
        "option:1": False,
        "option:2": False,
        "option:3": False,
    }
    assert compared["outside"] == 3


def test_figures_prefer_the_snapshots_own_comparison_with_the_official_result(built, election):
    snap = built["snapshot"]
    snap.result = {
        **snap.result,
        "official": [
            {
                "quantity": "option:1",
                "label": {"en": "Candidate A"},
                "official": 0.63,
                "estimate": 0.62,
                "low95": 0.58,
                "high95": 0.66,
                "low99": 0.57,
                "high99": 0.67,
                "inside95": True,
                "inside99": True,
            }
        ],
    }
    snap.save()
    [compared] = services.build_figures(election)["comparison"]
    assert compared["outside"] == 0 and len(compared["rows"]) == 1


def test_an_election_with_nothing_yet_still_gives_a_draft(election, analyst):
    statement = services.draft_statement(actor=analyst, election=election, kind="preliminary")
    assert "No quick-count estimate is available yet." in statement.body_en
    assert statement.recommendations.count() >= 3


def test_draft_is_written_in_each_language_with_recommendations(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election, kind="preliminary")
    assert statement.status == Statement.Status.DRAFT
    assert statement.slug.startswith("demo-presidential-election")
    for code in ("az", "en", "ru"):
        body = getattr(statement, f"body_{code}")
        assert getattr(election, f"name_{code}") in getattr(statement, f"title_{code}")
        assert body.startswith("## ")
        assert body.count("## ") == 6
    # The same figures, written in each language: names and number formats differ.
    assert statement.body_az != statement.body_en != statement.body_ru
    assert "Кандидат А" in statement.body_ru and "Candidate A" in statement.body_en
    assert "Namizəd A" in statement.body_az
    assert "62.0%" in statement.body_en and "62,0" in statement.body_az
    assert "outside the 95% margin" in statement.body_en
    recs = list(statement.recommendations.all())
    assert 3 <= len(recs) <= 5
    texts = " ".join(rec.text_en for rec in recs)
    assert "protocol of every polling station" in texts  # half the protocols in quarantine
    assert "recount" in texts  # the official result is outside the margin
    assert all(rec.addressee_az and rec.text_az and rec.text_ru for rec in recs)
    assert [rec.position for rec in recs] == list(range(len(recs)))
    assert AuditEntry.objects.filter(action="create", object_id=str(statement.pk)).exists()


def test_a_second_draft_gets_its_own_address(built, election, analyst):
    first = services.draft_statement(actor=analyst, election=election)
    second = services.draft_statement(actor=analyst, election=election)
    assert first.slug != second.slug


def test_update_saves_texts_and_recommendations_together(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    first, second, *_rest = statement.recommendations.all()
    services.update_statement(
        actor=analyst,
        statement=statement,
        data={"title_en": "Our statement", "slug": "our-statement"},
        recommendations=[
            {"id": first.pk, "delete": True},
            {**_fields(second), "id": second.pk, "text_en": "Changed."},
            {"addressee_az": "MSK", "text_az": "Yeni tövsiyə", "position": 9},
        ],
    )
    statement.refresh_from_db()
    assert statement.title_en == "Our statement" and statement.slug == "our-statement"
    assert not Recommendation.objects.filter(pk=first.pk).exists()
    assert Recommendation.objects.get(pk=second.pk).text_en == "Changed."
    assert statement.recommendations.filter(text_az="Yeni tövsiyə").exists()
    assert AuditEntry.objects.filter(action="update", object_id=str(statement.pk)).exists()


def _fields(rec: Recommendation) -> dict:
    return {field: getattr(rec, field) for field in services.RECOMMENDATION_FIELDS}


def test_a_bad_recommendation_leaves_everything_as_it_was(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    first = statement.recommendations.first()
    count = statement.recommendations.count()
    with pytest.raises(ValidationError) as caught:
        services.update_statement(
            actor=analyst,
            statement=statement,
            data={"title_en": "Changed"},
            recommendations=[
                {"id": first.pk, "delete": True},
                {"addressee_az": "MSK", "text_az": ""},
            ],
        )
    assert "Write the recommendation in Azerbaijani." in " ".join(caught.value.messages)
    statement.refresh_from_db()
    assert statement.title_en != "Changed"
    assert statement.recommendations.count() == count


def test_update_rejects_an_empty_title_and_a_taken_address(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    other = services.draft_statement(actor=analyst, election=election)
    with pytest.raises(ValidationError) as caught:
        services.update_statement(
            actor=analyst, statement=statement, data={"title_az": " ", "slug": other.slug}
        )
    assert set(caught.value.message_dict) == {"title_az", "slug"}


def test_recommendation_from_another_statement_is_refused(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    other = services.draft_statement(actor=analyst, election=election)
    stranger = other.recommendations.first()
    with pytest.raises(ValidationError):
        services.update_statement(
            actor=analyst,
            statement=statement,
            data={},
            recommendations=[{"id": stranger.pk, "delete": True}],
        )
    assert Recommendation.objects.filter(pk=stranger.pk).exists()


def test_recommendations_add_edit_reorder_delete(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    added = services.recommendation_add(
        actor=analyst, statement=statement, data={"addressee_az": "MSK", "text_az": "Mətn"}
    )
    assert added.position == statement.recommendations.count() - 1
    services.recommendation_update(
        actor=analyst, recommendation=added, data={"status": "implemented"}
    )
    added.refresh_from_db()
    assert added.status == "implemented"
    order = list(reversed(statement.recommendations.values_list("pk", flat=True)))
    services.recommendations_reorder(actor=analyst, statement=statement, order=order)
    assert list(statement.recommendations.values_list("pk", flat=True)) == order
    with pytest.raises(ValidationError):
        services.recommendations_reorder(actor=analyst, statement=statement, order=order[1:])
    with pytest.raises(ValidationError):
        services.recommendation_update(
            actor=analyst, recommendation=added, data={"status": "nonsense"}
        )
    services.recommendation_delete(actor=analyst, recommendation=added)
    assert not Recommendation.objects.filter(pk=added.pk).exists()


def test_publish_needs_the_azerbaijani_text_and_is_audited(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    Statement.objects.filter(pk=statement.pk).update(body_az="")
    with pytest.raises(ValidationError) as caught:
        services.publish_statement(actor=analyst, statement=statement)
    assert "body_az" in caught.value.message_dict
    statement.refresh_from_db()
    assert statement.status == "draft" and statement.published_at is None

    services.update_statement(actor=analyst, statement=statement, data={"body_az": "Mətn"})
    published = services.publish_statement(actor=analyst, statement=statement)
    assert published.status == "published" and published.published_at
    assert published.published_by == analyst
    assert AuditEntry.objects.filter(action="publish", object_id=str(statement.pk)).exists()
    with pytest.raises(ValidationError):
        services.publish_statement(actor=analyst, statement=published)


def test_a_published_statement_keeps_its_address_and_its_text(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    statement = services.publish_statement(actor=analyst, statement=statement)
    with pytest.raises(ValidationError) as caught:
        services.update_statement(
            actor=analyst, statement=statement, data={"slug": "elsewhere", "body_az": ""}
        )
    assert set(caught.value.message_dict) == {"slug", "body_az"}


def test_unpublish_makes_it_a_draft_again(built, election, analyst):
    statement = services.draft_statement(actor=analyst, election=election)
    services.publish_statement(actor=analyst, statement=statement)
    services.unpublish_statement(actor=analyst, statement=statement)
    statement.refresh_from_db()
    assert statement.status == "draft" and statement.published_at is None
    with pytest.raises(ValidationError):
        services.unpublish_statement(actor=analyst, statement=statement)


def test_body_blocks_split_headings_and_paragraphs():
    text = "## One\n\nFirst paragraph\nsame paragraph.\n\n## Two\nSecond.\n\n\n"
    assert services.body_blocks(text) == [
        ("heading", "One"),
        ("paragraph", "First paragraph\nsame paragraph."),
        ("heading", "Two"),
        ("paragraph", "Second."),
    ]


def test_demo_statement_is_drafted_and_published_once(built, election, administrator):
    from statements.demo import DEMO_ELECTION, build_demo_statements

    election.name_en = DEMO_ELECTION
    election.save()
    first = build_demo_statements(actor=administrator)
    assert first["statements"] == 1
    assert build_demo_statements(actor=administrator)["statements"] == 0
    statement = Statement.objects.get(election=election)
    assert statement.status == "published" and statement.recommendations.exists()
