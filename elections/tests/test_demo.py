"""The synthetic demo elections, on a small demo geography."""

import pytest
from django.apps import apps

from elections.demo import build_demo_elections
from elections.models import BallotOption, Contest, Election, ElectionStation
from geo.demo import build_demo_geography

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("elections").get_models()
    } | {"audit": apps.get_model("audit", "AuditEntry").objects.count()}


def test_the_demo_builds_both_elections_and_changes_nothing_when_run_again():
    build_demo_geography(stations=100)
    summary = build_demo_elections()
    first = counts()
    assert build_demo_elections()["stations_added"] == 0
    assert counts() == first

    parliamentary = Election.objects.get(kind=Election.Kind.PARLIAMENTARY)
    assert "(demo)" in parliamentary.name_en
    assert Contest.objects.filter(election=parliamentary).count() == 125
    assert ElectionStation.objects.filter(election=parliamentary).count() == 100
    for contest in Contest.objects.filter(election=parliamentary).with_option_counts():
        assert 3 <= contest.option_count <= 6

    presidential = Election.objects.get(kind=Election.Kind.PRESIDENTIAL)
    national = Contest.objects.get(election=presidential)
    assert national.kind == Contest.Kind.NATIONAL and national.options.count() == 5
    assert summary["contests_created"] == 126
    assert all(
        "(synthetic)" in name for name in BallotOption.objects.values_list("name_en", flat=True)
    )
