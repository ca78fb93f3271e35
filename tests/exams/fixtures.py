"""Exam session fixtures shared by the exams and API tests."""

from __future__ import annotations

import datetime as dt

import pytest

from attesta.candidates import services as candidate_services
from attesta.exams import services
from attesta.referentiels.services import store_referentiel
from tests.conftest import parsed_seed
from tests.factories import UserFactory


@pytest.fixture
def centre_session(organisation, manager):
    """A CC title session at the owner organisation, with three eligible candidates."""
    version = store_referentiel(
        referentiel=parsed_seed("cc"), organisation=organisation, actor=manager, publish=True
    )
    session = services.create_session(
        organisation=organisation,
        actor=manager,
        version=version,
        block=None,
        label="CC – janvier 2027",
        starts_on=dt.date(2027, 1, 12),
        ends_on=dt.date(2027, 1, 12),
        address="12 rue des Examens\n69000 Lyon",
        rooms=["Salle A", "Salle B", "Salle C"],
    )
    enrolments = []
    for n, name in enumerate(["Martin", "Durand", "Petit"]):
        candidate = candidate_services.register_candidate(
            organisation=organisation,
            actor=manager,
            last_name=name,
            first_names="Alex",
            birth_date=dt.date(1995, 1, n + 1),
            birth_place="Lyon",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate, version=version, path="vae", actor=manager
        )
        enrolment.change_status("eligible", actor=manager)
        enrolments.append(enrolment)
    session.eligible = enrolments
    return session


@pytest.fixture
def assessors(organisation):
    return [
        UserFactory(
            username=f"jure{n}", assessor=True, organisation=organisation, first_name=f"Juré{n}"
        )
        for n in range(3)
    ]


def another_session(session, manager):
    """A second session of the same centre and version, a month later, with one room: what
    must never be reached through ``session``'s addresses."""
    return services.create_session(
        organisation=session.organisation,
        actor=manager,
        version=session.version,
        block=None,
        label="CC – février 2027",
        starts_on=dt.date(2027, 2, 9),
        ends_on=dt.date(2027, 2, 9),
        address="Lyon",
        rooms=["Salle A"],
    )
