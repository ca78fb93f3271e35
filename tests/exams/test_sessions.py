"""Exam sessions: planning, seating eligible candidates, jury composition, pages and scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from attesta.candidates import services as candidate_services
from attesta.exams import services
from attesta.exams.models import ExamSession, SessionCandidate
from attesta.referentiels.services import store_referentiel
from tests.conftest import parsed_seed

pytestmark = pytest.mark.django_db


def test_only_eligible_enrolments_of_the_session_referentiel_are_seated(
    centre_session, manager, organisation
):
    seats = services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible[:2], actor=manager
    )
    assert [s.position for s in seats] == [1, 2]
    late = centre_session.eligible[2]
    late.change_status("not_eligible", actor=manager)
    with pytest.raises(services.SessionError, match="il doit être recevable"):
        services.seat_candidates(session=centre_session, enrolments=[late], actor=manager)
    assert SessionCandidate.objects.count() == 2


def test_a_block_target_is_not_seated_in_a_title_session(centre_session, manager, organisation):
    candidate = centre_session.eligible[0].candidate
    blocks_only = candidate_services.enrol_candidate(
        candidate=candidate,
        version=centre_session.version,
        path="training",
        actor=manager,
        target_block_codes=("CCP1",),
    )
    blocks_only.change_status("eligible", actor=manager)
    with pytest.raises(services.SessionError, match="vise des blocs, pas le titre complet"):
        services.seat_candidates(session=centre_session, enrolments=[blocks_only], actor=manager)


def test_a_session_needs_a_published_referentiel_with_an_exam_for_its_scope(organisation, manager):
    draft = store_referentiel(
        referentiel=parsed_seed("ntc"), organisation=organisation, actor=manager
    )
    with pytest.raises(services.SessionError, match="référentiel publié"):
        services.create_session(
            organisation=organisation,
            actor=manager,
            version=draft,
            block=None,
            label="x",
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 1, 1),
            address="x",
            rooms=["A"],
        )
    charge = store_referentiel(
        referentiel=parsed_seed("charge"), organisation=organisation, actor=manager, publish=True
    )
    with pytest.raises(services.SessionError, match="pas d'épreuve pour « certification »"):
        services.create_session(
            organisation=organisation,
            actor=manager,
            version=charge,
            block=None,
            label="x",
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 1, 1),
            address="x",
            rooms=["A"],
        )


def test_jury_problems_name_the_candidate_whose_trainer_sits(centre_session, manager, assessors):
    seats = services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    assert services.jury_problems(centre_session) == [
        "Aucun membre de jury : il en faut au moins 2."
    ]
    services.add_jury_member(
        session=centre_session, user=assessors[0], actor=manager, trained=[seats[0]]
    )
    services.add_jury_member(
        session=centre_session, user=assessors[1], actor=manager, is_president=True
    )
    assert services.jury_problems(centre_session) == [
        "Martin Alex : chaque jury compte l'un de ses formateurs, qui ne peut pas l'évaluer."
    ]


def test_only_assessors_sit_on_a_jury(centre_session, manager):
    with pytest.raises(services.SessionError, match="n'a pas le rôle de membre du jury"):
        services.add_jury_member(session=centre_session, user=manager, actor=manager)


def test_session_pages_for_manager_assessor_and_outsider(
    client, centre_session, manager, outsider, assessors
):
    services.add_jury_member(session=centre_session, user=assessors[0], actor=manager)
    url = reverse("exams:detail", args=[centre_session.pk])
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert "CC – janvier 2027" in html
    assert "Jury 1 : 1 membre(s), il en faut au moins 2." in html
    assert "Martin Alex" in html  # offered for seating
    client.force_login(assessors[0])
    assert client.get(url).status_code == 200
    assert client.post(reverse("exams:seat", args=[centre_session.pk])).status_code == 403
    client.force_login(assessors[1])  # not on this jury
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert "CC – janvier 2027" not in client.get(reverse("exams:list")).content.decode()


def test_manager_plans_a_session_seats_and_composes_the_jury_through_the_pages(
    client, centre_session, manager, assessors
):
    client.force_login(manager)
    response = client.post(
        reverse("exams:create"),
        {
            "version": centre_session.version.pk,
            "block": centre_session.version.blocks.get(code="CCP1").pk,
            "label": "CC – CCP1 – février",
            "starts_on": "2027-02-02",
            "ends_on": "2027-02-02",
            "address": "Centre démo",
            "rooms": "Salle 1, Salle 2",
        },
        follow=True,
    )
    assert "Session créée : CC – CCP1 – février." in response.content.decode()
    session = ExamSession.objects.get(label="CC – CCP1 – février")
    assert (session.scope, session.rooms) == ("CCP1", ["Salle 1", "Salle 2"])
    url = reverse("exams:detail", args=[centre_session.pk])
    client.post(
        reverse("exams:seat", args=[centre_session.pk]),
        {"enrolments": [e.pk for e in centre_session.eligible]},
    )
    for user in assessors[:2]:
        client.post(
            reverse("exams:jury", args=[centre_session.pk]), {"user": user.pk, "panel": "Jury 1"}
        )
    client.post(reverse("exams:supervisor", args=[centre_session.pk]), {"name": "Paul Surveillant"})
    html = client.get(url).content.decode()
    assert "Candidats (3)" in html
    assert "La composition du jury respecte les règles." in html
    assert "Paul Surveillant" in html


def test_invalid_session_form_is_refused(client, manager, centre_session):
    client.force_login(manager)
    response = client.post(
        reverse("exams:create"),
        {
            "version": centre_session.version.pk,
            "label": "x",
            "starts_on": "2027-02-03",
            "ends_on": "2027-02-02",
            "address": "x",
            "rooms": " , ",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le dernier jour ne peut précéder le premier." in html
    assert "Indiquez au moins une salle." in html


def test_session_page_queries_do_not_grow_with_candidates(
    client, centre_session, manager, assessors, django_assert_max_num_queries
):
    for user in assessors[:2]:
        services.add_jury_member(session=centre_session, user=user, actor=manager)
    url = reverse("exams:detail", args=[centre_session.pk])
    client.force_login(manager)
    services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible[:1], actor=manager
    )
    services.build_timetable(session=centre_session, actor=manager)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    # a second candidate; one eligible file is still offered for seating in both cases
    services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible[1:2], actor=manager
    )
    services.build_timetable(session=centre_session, actor=manager)
    with django_assert_max_num_queries(40) as two:
        client.get(url)
    assert len(two.captured_queries) == len(one.captured_queries)


def test_session_list_filters_upcoming_and_past_sessions(client, centre_session, manager):
    url = reverse("exams:list")
    with time_machine.travel(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)):
        client.force_login(manager)
        assert "CC – janvier 2027" in client.get(url, {"quand": "a-venir"}).content.decode()
        assert "Aucune session." in client.get(url, {"quand": "passees"}).content.decode()
    with time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=dt.UTC)):
        client.force_login(manager)
        assert "CC – janvier 2027" in client.get(url, {"quand": "passees"}).content.decode()
        assert "Sessions (1)" in client.get(url).content.decode()
