import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from observers.tests.factories import ObserverFactory
from quickcount import services
from quickcount.models import EstimateSnapshot, SampleDesign
from quickcount.tests.conftest import report

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    return f"/{lang}" + reverse(f"quickcount_staff:{name}", args=args)[3:]


@pytest.fixture
def drawn(design, analyst):
    services.draw_sample(design, actor=analyst, seed=11)
    design.refresh_from_db()
    return design


def test_url_names_exist(design):
    for name in ("design_list", "design_create", "calculator"):
        assert reverse(f"quickcount_staff:{name}")
    for name in (
        "design_detail",
        "design_draw",
        "design_reset",
        "sample_stations",
        "sample_csv",
        "estimates",
        "snapshot_create",
    ):
        assert reverse(f"quickcount_staff:{name}", args=[design.pk])
    assert reverse("quickcount_staff:snapshot_publish", args=[design.pk, 1])


def test_data_clerk_is_refused_everywhere(client, design):
    client.force_login(make_staff(Role.DATA_CLERK))
    for target in (
        url("design_list"),
        url("design_create"),
        url("calculator"),
        url("design_detail", design.pk),
        url("sample_stations", design.pk),
        url("sample_csv", design.pk),
        url("estimates", design.pk),
    ):
        assert client.get(target).status_code == 403, target
    for target in (
        url("design_draw", design.pk),
        url("design_reset", design.pk),
        url("snapshot_create", design.pk),
    ):
        assert client.post(target).status_code == 403, target


def test_coordinator_reads_but_cannot_draw_or_publish(client, coordinator, design):
    client.force_login(coordinator)
    assert client.get(url("design_detail", design.pk)).status_code == 200
    assert client.get(url("estimates", design.pk)).status_code == 200
    assert client.post(url("design_draw", design.pk), {"seed": "1"}).status_code == 403
    assert client.get(url("design_create")).status_code == 403
    assert client.post(url("snapshot_create", design.pk)).status_code == 403
    design.refresh_from_db()
    assert design.status == SampleDesign.Status.DRAFT


def test_analyst_draws_with_a_seed_and_resets_with_a_reason(client, analyst, design):
    client.force_login(analyst)
    response = client.post(url("design_draw", design.pk), {"seed": "42"})
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.status == SampleDesign.Status.DRAWN and design.seed == 42
    page = client.get(url("design_detail", design.pk))
    assert b"42" in page.content
    client.post(url("design_reset", design.pk), {"reason": ""})
    design.refresh_from_db()
    assert design.status == SampleDesign.Status.DRAWN
    client.post(url("design_reset", design.pk), {"reason": "wrong frame"})
    design.refresh_from_db()
    assert design.status == SampleDesign.Status.DRAFT
    assert AuditEntry.objects.filter(
        object_id=str(design.pk), changes__reason="wrong frame"
    ).exists()


def test_calculator_shows_n_and_working(client, analyst):
    client.force_login(analyst)
    response = client.get(
        url("calculator"),
        {"margin": "1.5", "confidence": "95", "deff": "1", "population": "6500"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    n = services.recommended_sample_size(
        margin_points=1.5, confidence_percent=95, population=6500
    ).n
    text = response.content.decode()
    assert f"<strong>{n:,}</strong>" in text and "z = 1.9600" in text
    assert "<html" not in text
    bad = client.get(url("calculator"), {"margin": "0", "confidence": "95"})
    assert bad.status_code == 200 and b"field__error" in bad.content


def test_invalid_design_form_shows_errors_and_writes_nothing(
    client, analyst, contest, frame_stations
):
    client.force_login(analyst)
    response = client.post(
        url("design_create"),
        {
            "name": "",
            "contest": contest.pk,
            "stratify_by": "region",
            "allocation": "stations",
            "target_margin": "50",
            "confidence": "95",
            "reserve_per_stratum": "0",
            "min_reports": "30",
        },
    )
    assert response.status_code == 200
    assert b"field__error" in response.content
    response = client.post(
        url("design_create"),
        {
            "name": "Too big",
            "contest": contest.pk,
            "stratify_by": "region",
            "allocation": "stations",
            "target_margin": "2",
            "confidence": "95",
            "sample_size": "5000",
            "reserve_per_stratum": "0",
            "min_reports": "30",
        },
    )
    assert response.status_code == 200 and b"larger than" in response.content
    assert not SampleDesign.objects.exists()


def test_design_created_with_the_calculator_size(client, analyst, contest, frame_stations):
    client.force_login(analyst)
    response = client.post(
        url("design_create"),
        {
            "name": "National",
            "contest": contest.pk,
            "stratify_by": "region",
            "allocation": "voters",
            "target_margin": "5",
            "confidence": "95",
            "reserve_per_stratum": "1",
            "min_reports": "10",
        },
    )
    design = SampleDesign.objects.get()
    assert response.status_code == 302
    expected = services.recommended_sample_size(
        margin_points=5, confidence_percent=95, population=60
    )
    assert design.sample_size == expected.n


def test_estimates_page_in_azerbaijani(client, analyst, drawn):
    report(drawn)
    client.force_login(analyst)
    response = client.get(url("estimates", drawn.pk, lang="az"))
    assert response.status_code == 200
    assert b"<svg" in response.content and b"Namiz" in response.content


def test_estimates_page_warns_prominently_with_few_reports(client, analyst, drawn):
    report(drawn, 2)
    client.force_login(analyst)
    response = client.get(url("estimates", drawn.pk))
    text = response.content.decode()
    assert "Too few reports for reliable estimates." in text
    assert "±0.00" not in text
    partial = client.get(url("estimates", drawn.pk), headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content


def test_snapshot_then_publish(client, analyst, drawn):
    report(drawn)
    client.force_login(analyst)
    assert client.post(url("snapshot_create", drawn.pk)).status_code == 302
    snapshot = EstimateSnapshot.objects.get()
    client.post(url("snapshot_publish", drawn.pk, snapshot.pk))
    snapshot.refresh_from_db()
    assert snapshot.is_published


def test_sample_stations_filter_assign_and_csv(client, analyst, drawn, regions):
    observer = ObserverFactory(election=drawn.election, region=regions["baki"], accredited=True)
    item = drawn.stations.filter(reserve_rank=0).first()
    client.force_login(analyst)
    page = client.get(url("sample_stations", drawn.pk), {"kind": "sample", "coverage": "uncovered"})
    assert page.status_code == 200
    response = client.post(
        url("sample_stations", drawn.pk), {"sample_station": item.pk, "observer": observer.pk}
    )
    assert response.status_code == 302
    observer.refresh_from_db()
    assert observer.station_id == item.station_id
    csv = client.get(url("sample_csv", drawn.pk))
    assert csv["Content-Type"].startswith("text/csv")
    assert item.station.code in csv.content.decode()


def test_coordinator_cannot_assign_and_sees_only_their_regions(client, coordinator, drawn, regions):
    observer = ObserverFactory(election=drawn.election, region=regions["baki"], accredited=True)
    item = drawn.stations.filter(reserve_rank=0).first()
    client.force_login(coordinator)
    response = client.post(
        url("sample_stations", drawn.pk), {"sample_station": item.pk, "observer": observer.pk}
    )
    assert response.status_code == 403
    page = client.get(url("sample_stations", drawn.pk))
    assert page.status_code == 200 and item.station.code not in page.content.decode()
