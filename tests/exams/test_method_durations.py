"""Durations the centre sets for the methods whose référentiel gives none: the Chargé de
développement commercial's table names its exams without durations, so nothing could be
timetabled until the centre says how long each lasts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from attesta.candidates import services as candidate_services
from attesta.core.models import AuditEvent
from attesta.exams import services
from attesta.exams.validity import conflicts
from attesta.referentiels.services import store_referentiel
from tests.conftest import parsed_seed
from tests.exams.test_timetable_views import page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# BC03 of the Chargé de développement commercial: a written production (made during a
# period in a company, handed in before the session), then its defence before the jury.
WRITTEN, DEFENCE = 0, 1


@pytest.fixture
def cdc_session(organisation, manager, assessors):
    """A BC03 session of the CDC référentiel, two candidates, a jury of two."""
    version = store_referentiel(
        referentiel=parsed_seed("charge"), organisation=organisation, actor=manager, publish=True
    )
    block = version.blocks.get(code="BC03")
    session = services.create_session(
        organisation=organisation,
        actor=manager,
        version=version,
        block=block,
        label="CDC BC03 – mars 2027",
        starts_on=dt.date(2027, 3, 9),
        ends_on=dt.date(2027, 3, 9),
        address="Lyon",
        rooms=["Salle A", "Salle B"],
    )
    enrolments = []
    for n, name in enumerate(["Roux", "Blanc"]):
        candidate = candidate_services.register_candidate(
            organisation=organisation,
            actor=manager,
            last_name=name,
            first_names="Sam",
            birth_date=dt.date(1990, 2, n + 1),
            birth_place="Lyon",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate,
            version=version,
            path="block",
            actor=manager,
            target_block_codes=("BC03",),
        )
        enrolment.change_status("eligible", actor=manager)
        enrolments.append(enrolment)
    services.seat_candidates(session=session, enrolments=enrolments, actor=manager)
    for user in assessors[:2]:
        services.add_jury_member(session=session, user=user, actor=manager)
    return session


def settings_url(session) -> str:
    return reverse("exams:settings", args=[session.pk])


def test_without_durations_the_exam_cannot_be_planned_and_says_which_method(cdc_session, manager):
    with pytest.raises(services.SessionError, match="Durée inconnue pour la modalité"):
        services.build_timetable(session=cdc_session, actor=manager)


def test_the_centre_sets_the_durations_then_the_session_is_planned(cdc_session, manager):
    services.set_method_durations(
        session=cdc_session, actor=manager, minutes={WRITTEN: 180, DEFENCE: 40}
    )
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {"0": 180, "1": 40}
    exam = services.session_exam(cdc_session)
    assert [m.duration_minutes for m in exam.methods] == [180, 40]
    result = services.build_timetable(session=cdc_session, actor=manager)
    assert result.unplaced == []
    assert sorted(a.end - a.start for a in result.assignments) == [
        dt.timedelta(minutes=40),
        dt.timedelta(minutes=40),
        dt.timedelta(minutes=180),
        dt.timedelta(minutes=180),
    ]
    assert conflicts(result, services.timetable_problem(cdc_session)) == []
    event = AuditEvent.objects.get(action="session.method_durations_set")
    assert event.actor == manager
    assert event.details["minutes"] == {"0": 180, "1": 40}
    # Cleared again: the session cannot be planned any more, and the clearing is recorded.
    services.set_method_durations(session=cdc_session, actor=manager, minutes={DEFENCE: None})
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {"0": 180}
    assert AuditEvent.objects.filter(action="session.method_durations_set").count() == 2


def test_a_production_handed_in_before_the_session_is_not_timetabled(cdc_session, manager):
    services.set_method_durations(
        session=cdc_session, actor=manager, minutes={WRITTEN: 0, DEFENCE: 40}
    )
    problem = services.timetable_problem(cdc_session)
    assert {(p.title, p.minutes) for p in problem.phases} == {
        (services.session_exam(cdc_session).methods[DEFENCE].title, 40)
    }
    result = services.build_timetable(session=cdc_session, actor=manager)
    assert len(result.assignments) == 2  # one defence per candidate
    assert all(a.jury for a in result.assignments)


def test_the_same_durations_again_record_nothing(cdc_session, manager):
    services.set_method_durations(session=cdc_session, actor=manager, minutes={WRITTEN: 180})
    services.set_method_durations(session=cdc_session, actor=manager, minutes={WRITTEN: 180})
    assert AuditEvent.objects.filter(action="session.method_durations_set").count() == 1


def test_extra_time_applies_to_a_duration_the_centre_set(cdc_session, manager, organisation):
    services.set_method_durations(
        session=cdc_session, actor=manager, minutes={WRITTEN: 180, DEFENCE: 40}
    )
    seat = cdc_session.candidates.order_by("position").first()
    referent = UserFactory(username="referente", referent=True, organisation=organisation)
    candidate_services.record_accommodation(
        enrolment=seat.enrolment, actor=referent, disability="Confidentiel", extra_time_percent=33
    )
    phases = [
        p for p in services.timetable_problem(cdc_session).phases if p.candidate == str(seat.pk)
    ]
    assert [(p.base_minutes, p.minutes) for p in phases] == [(180, 240), (40, 54)]


@pytest.mark.parametrize(
    ("minutes", "reason"),
    [
        ({5: 30}, "l'épreuve n'en compte que 2"),
        ({WRITTEN: 3}, r"de 5 à 720 minutes \(0 : remise avant la session\), pas 3"),
        ({WRITTEN: 180, DEFENCE: 900}, "pas 900"),
        ({WRITTEN: -1}, "pas -1"),
    ],
)
def test_invalid_durations_are_refused_and_nothing_is_written(
    cdc_session, manager, minutes, reason
):
    with pytest.raises(services.SessionError, match=reason):
        services.set_method_durations(session=cdc_session, actor=manager, minutes=minutes)
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {}
    assert not AuditEvent.objects.filter(action="session.method_durations_set").exists()


def test_a_duration_the_referentiel_gives_is_not_changed(centre_session, manager):
    with pytest.raises(services.SessionError, match=r"le référentiel en fixe la durée \(105 min\)"):
        services.set_method_durations(session=centre_session, actor=manager, minutes={0: 90})
    centre_session.refresh_from_db()
    assert centre_session.method_minutes == {}


# --- pages ------------------------------------------------------------------------------------


def test_the_manager_sets_the_durations_on_the_settings_page(client, cdc_session, manager):
    client.force_login(manager)
    detail = page(client.get(reverse("exams:detail", args=[cdc_session.pk])))
    assert "Fixer sa durée" in detail
    html = page(client.get(settings_url(cdc_session)))
    assert '<h2 id="titre-durees">Durées des modalités</h2>' in html
    assert '<label for="id_method_0">Durée : ' in html
    response = client.post(
        reverse("exams:durations", args=[cdc_session.pk]),
        {"method_0": "180", "method_1": "40"},
        follow=True,
    )
    assert "Durées des modalités enregistrées." in page(response)
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {"0": 180, "1": 40}
    detail = page(client.get(reverse("exams:detail", args=[cdc_session.pk])))
    assert "180 min (durée fixée par le centre)" in detail
    assert "Fixer sa durée" not in detail
    assert 'value="180"' in page(client.get(settings_url(cdc_session)))


def test_an_invalid_duration_is_refused_naming_the_field(client, cdc_session, manager):
    client.force_login(manager)
    response = client.post(
        reverse("exams:durations", args=[cdc_session.pk]), {"method_0": "2", "method_1": "40"}
    )
    assert response.status_code == 400
    html = page(response)
    assert "Au moins 5 minutes, ou 0 pour une remise avant la session." in html
    assert '<a href="#id_method_0">Durée : E3 – Production écrite' in html  # the summary links
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {}


def test_a_titre_professionnel_shows_no_durations_to_set(client, centre_session, manager):
    client.force_login(manager)
    assert "titre-durees" not in page(client.get(settings_url(centre_session)))


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("assessor_on_the_jury", 403)])
def test_nobody_else_sets_the_durations(client, cdc_session, assessors, outsider, persona, status):
    client.force_login({"outsider": outsider, "assessor_on_the_jury": assessors[0]}[persona])
    response = client.post(reverse("exams:durations", args=[cdc_session.pk]), {"method_0": "180"})
    assert response.status_code == status  # as the other settings pages
    response = client.put(
        f"/api/sessions/{cdc_session.pk}/durations/",
        json.dumps({"minutes": {"0": 180}}),
        content_type="application/json",
    )
    assert response.status_code == 404
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {}


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_the_methods_and_sets_their_durations(client, cdc_session, manager):
    client.force_login(manager)
    url = f"/api/sessions/{cdc_session.pk}/durations/"
    methods = client.get(f"/api/sessions/{cdc_session.pk}/planning/").json()["methods"]
    assert [(m["index"], m["referentiel_minutes"], m["minutes"]) for m in methods] == [
        (0, None, None),
        (1, None, None),
    ]
    response = client.put(
        url, json.dumps({"minutes": {"0": 180, "1": 40}}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert [m["minutes"] for m in response.json()["methods"]] == [180, 40]
    refused = client.put(url, json.dumps({"minutes": {"0": 1}}), content_type="application/json")
    assert refused.status_code == 400
    assert "de 5 à 720 minutes" in refused.json()["detail"]
    malformed = client.put(
        url, json.dumps({"minutes": {"premier": 30}}), content_type="application/json"
    )
    assert malformed.status_code == 400
    assert "minutes" in malformed.json()
