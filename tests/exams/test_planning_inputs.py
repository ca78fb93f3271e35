"""The « Paramètres du planning » page: the day and the jury's break, changeover, supervision,
room capacities and detailed phases; shared equipment; panels' unavailabilities; and
withdrawing a candidate, then re-planning and seeing who must be convened again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from attesta.core.models import AuditEvent
from attesta.exams import services
from attesta.exams.models import (
    ExamSession,
    JuryUnavailability,
    SessionCandidate,
    SessionEquipment,
    TimetableEntry,
)
from tests.exams import test_timetable_views
from tests.exams.fixtures import another_session
from tests.exams.test_timetable_views import page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Three candidates timetabled first-fit before two panels (see the timetable page's tests).
planned_session = test_timetable_views.planned_session
# login session, user, exam session, equipment, panels, convened?, unavailabilities,
# supervisors?, the last re-planning, the header's organisation (the référentiel is cached)
QUERIES = 10


def settings_url(session: ExamSession) -> str:
    return reverse("exams:settings", args=[session.pk])


def options(**changes: str) -> dict[str, str]:
    """A valid submission of the options form for the three rooms of the CC session."""
    data = {
        "day_start": "08:30",
        "day_end": "17:30",
        "break_start": "12:30",
        "break_end": "13:30",
        "changeover_minutes": "10",
        "supervision_capacity": "6",
        "room_0": "1",
        "room_1": "1",
        "room_2": "8",
        "detailed_phases": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def unchanged(session: ExamSession) -> tuple[object, ...]:
    session.refresh_from_db()
    return (
        session.day_start,
        session.day_end,
        session.break_start,
        session.break_end,
        session.changeover_minutes,
        session.supervision_capacity,
        session.room_capacities,
        session.detailed_phases,
    )


# --- day, break, changeover, supervision, rooms, detailed phases ------------------------------


def test_the_manager_sets_the_timetable_options_and_the_timetable_follows_them(
    client, planned_session, manager
):
    client.force_login(manager)
    assert "Paramètres du planning" in page(
        client.get(reverse("exams:detail", args=[planned_session.pk]))
    )
    response = client.post(settings_url(planned_session), options())
    assert response.status_code == 302
    assert response["Location"] == settings_url(planned_session)

    planned_session.refresh_from_db()
    assert (planned_session.day_start, planned_session.day_end) == (
        dt.time(8, 30),
        dt.time(17, 30),
    )
    assert (planned_session.break_start, planned_session.break_end) == (
        dt.time(12, 30),
        dt.time(13, 30),
    )
    assert planned_session.changeover_minutes == 10
    assert planned_session.supervision_capacity == 6
    assert planned_session.room_capacities == {"Salle C": 8}  # capacity 1 is the default
    assert planned_session.detailed_phases
    event = AuditEvent.objects.get(action="session.planning_options_set")
    assert event.actor == manager
    assert event.target == f"session:{planned_session.pk}"
    assert event.details["break_start"] == "12:30"
    assert event.details["room_capacities"] == {"Salle C": 8}

    html = page(client.get(response["Location"]))
    assert "Paramètres du planning enregistrés." in html
    assert "Le planning en vigueur n&#x27;en tient pas compte : re-planifiez-le" in html
    assert 'name="break_start" value="12:30"' in html
    assert '<th scope="row">Salle C</th> <td> 8 (salle collective) </td>' in html
    assert "<dt>Pause du jury</dt> <dd> 12:30–13:30 </dd>" in html
    assert "<dt>Phases détaillées</dt> <dd> Oui </dd>" in html
    assert "(pause du jury 12:30–13:30)" in page(
        client.get(reverse("exams:detail", args=[planned_session.pk]))
    )

    problem = services.timetable_problem(planned_session)
    assert problem.days == [
        (
            dt.datetime(2027, 1, 12, 8, 30, tzinfo=PARIS),
            dt.datetime(2027, 1, 12, 17, 30, tzinfo=PARIS),
        )
    ]
    assert problem.breaks == [
        (
            dt.datetime(2027, 1, 12, 12, 30, tzinfo=PARIS),
            dt.datetime(2027, 1, 12, 13, 30, tzinfo=PARIS),
        )
    ]
    assert problem.changeover_minutes == 10
    assert problem.supervision_capacity == 6
    assert problem.room_capacity == {"Salle C": 8}
    # Detailed phases: the CC role play is cut into a preparation, the jury, the phone call.
    titles = {p.title for p in problem.phases}
    assert "Mise en situation professionnelle – préparation" in titles
    assert any(p.uses for p in problem.phases)


def test_saving_the_same_options_again_records_nothing(client, planned_session, manager):
    client.force_login(manager)
    client.post(settings_url(planned_session), options())
    client.post(settings_url(planned_session), options())
    assert AuditEvent.objects.filter(action="session.planning_options_set").count() == 1


def test_the_break_can_be_removed_and_detailed_phases_unticked(client, planned_session, manager):
    client.force_login(manager)
    client.post(settings_url(planned_session), options())
    client.post(
        settings_url(planned_session),
        options(break_start="", break_end="", detailed_phases=None, room_2="1"),
    )
    planned_session.refresh_from_db()
    assert planned_session.break_start is None
    assert planned_session.break_end is None
    assert not planned_session.detailed_phases
    assert planned_session.room_capacities == {}
    assert services.timetable_problem(planned_session).breaks == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day_end": "08:00"}, "Fin de journée", "Elle doit suivre le début de journée."),
        (
            {"break_end": ""},
            "Fin de la pause du jury",
            "Indiquez le début et la fin de la pause, ou aucun des deux.",
        ),
        ({"break_end": "12:00"}, "Fin de la pause du jury", "Elle doit suivre le début"),
        (
            {"break_start": "07:00"},
            "Début de la pause du jury",
            "La pause doit tenir dans la journée.",
        ),
        (
            {"room_2": "0"},
            "Capacité : Salle C",
            "Assurez-vous que cette valeur est supérieure ou égale à 1",
        ),
        (
            {"supervision_capacity": "0"},
            "Candidats par surveillant",
            "Assurez-vous que cette valeur est supérieure ou égale à 1",
        ),
        (
            {"changeover_minutes": "-5"},
            "Battement entre deux candidats (minutes)",
            "Assurez-vous que cette valeur est supérieure ou égale à 0",
        ),
        ({"day_start": "8h"}, "Début de journée", "Saisissez une heure valide."),
    ],
)
def test_invalid_options_are_refused_naming_the_field_and_nothing_is_written(
    client, planned_session, manager, changes, field, message
):
    before = unchanged(planned_session)
    client.force_login(manager)
    response = client.post(settings_url(planned_session), options(**changes))
    assert response.status_code == 400
    html = page(response)
    assert 'class="errors" role="alert"' in html
    assert f"{field}</a> : {message}" in html.replace("&#x27;", "'")
    assert unchanged(planned_session) == before
    assert not AuditEvent.objects.filter(action="session.planning_options_set").exists()


def test_the_service_refuses_what_the_form_would_have_caught(planned_session, manager):
    with pytest.raises(services.SessionError, match="Capacité des salles : salle inconnue"):
        services.set_planning_options(
            session=planned_session,
            actor=manager,
            day_start=dt.time(8),
            day_end=dt.time(18),
            break_start=None,
            break_end=None,
            changeover_minutes=0,
            supervision_capacity=1,
            room_capacities={"Gymnase": 30},
            detailed_phases=False,
        )
    with pytest.raises(services.SessionError, match="Pause du jury : indiquez son début"):
        services.set_planning_options(
            session=planned_session,
            actor=manager,
            day_start=dt.time(8),
            day_end=dt.time(18),
            break_start=dt.time(12),
            break_end=None,
            changeover_minutes=0,
            supervision_capacity=1,
            room_capacities={},
            detailed_phases=False,
        )


# --- shared equipment -------------------------------------------------------------------------


def test_the_manager_declares_equipment_and_sees_the_phases_that_use_it(
    client, planned_session, manager
):
    client.force_login(manager)
    html = page(client.get(settings_url(planned_session)))
    # Before: the phone call of the CC role play uses a phone and a laptop, not declared.
    assert "Équipements utilisés par l'épreuve et non déclarés" in html
    assert (
        '<th scope="row">Téléphone</th> <td>Mise en situation professionnelle – au téléphone</td>'
        in html
    )
    response = client.post(
        reverse("exams:equipment_add", args=[planned_session.pk]),
        {"name": "téléphone", "count": "2", "shared_by": "1"},
    )
    assert response.status_code == 302
    item = SessionEquipment.objects.get(session=planned_session)
    assert (item.name, item.count, item.shared_by) == ("téléphone", 2, 1)
    event = AuditEvent.objects.get(action="session.equipment_added")
    assert event.details == {"name": "téléphone", "count": 2, "shared_by": 1}
    assert event.actor == manager

    html = page(client.get(response["Location"]))
    assert "Équipement déclaré : Téléphone." in html
    assert (
        '<th scope="row">Téléphone</th> <td>2</td> <td>1</td> <td>2</td> <td> <ul> '
        "<li>Mise en situation professionnelle – au téléphone</li> </ul> </td>" in html
    )
    client.post(
        reverse("exams:equipment_add", args=[planned_session.pk]),
        {"name": "imprimante", "count": "1", "shared_by": "12"},
    )
    html = page(client.get(settings_url(planned_session)))
    assert '<th scope="row">Imprimante</th> <td>1</td> <td>12</td> <td>12</td>' in html
    assert "Aucune phase de cette épreuve" in html  # the CC exam prints nothing
    assert services.timetable_problem(planned_session).equipment == {
        "imprimante": 12,
        "téléphone": 2,
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "photocopieuse", "count": "1", "shared_by": "1"}, "Équipement", "Sélectionnez"),
        (
            {"name": "imprimante", "count": "0", "shared_by": "12"},
            "Nombre d'exemplaires",
            "Assurez-vous que cette valeur est supérieure ou égale à 1",
        ),
        (
            {"name": "imprimante", "count": "1", "shared_by": ""},
            "Candidats à la fois par exemplaire",
            "Ce champ est obligatoire.",
        ),
    ],
)
def test_invalid_equipment_is_refused_naming_the_field(
    client, planned_session, manager, data, field, message
):
    client.force_login(manager)
    response = client.post(reverse("exams:equipment_add", args=[planned_session.pk]), data)
    assert response.status_code == 400
    assert f"{field}</a> : {message}" in page(response).replace("&#x27;", "'")
    assert not SessionEquipment.objects.exists()
    assert not AuditEvent.objects.filter(action="session.equipment_added").exists()


def test_equipment_declared_twice_is_refused(client, planned_session, manager):
    client.force_login(manager)
    url = reverse("exams:equipment_add", args=[planned_session.pk])
    client.post(url, {"name": "imprimante", "count": "1", "shared_by": "12"})
    response = client.post(url, {"name": "imprimante", "count": "2", "shared_by": "12"})
    assert response.status_code == 400
    assert "Équipement</a> : Équipement : « imprimante » est déjà déclaré" in page(response)
    assert list(SessionEquipment.objects.values_list("count", flat=True)) == [1]


def test_the_manager_removes_equipment(client, planned_session, manager):
    item = services.add_equipment(
        session=planned_session, actor=manager, name="imprimante", count=1, shared_by=12
    )
    client.force_login(manager)
    response = client.post(
        reverse("exams:equipment_remove", args=[planned_session.pk, item.pk]), follow=True
    )
    assert "Équipement retiré : Imprimante." in page(response)
    assert not SessionEquipment.objects.exists()
    event = AuditEvent.objects.get(action="session.equipment_removed")
    assert event.details == {"name": "imprimante"}
    assert services.timetable_problem(planned_session).equipment == {}


# --- panels' unavailabilities -----------------------------------------------------------------


def test_the_manager_records_a_panel_unavailability_and_the_planner_respects_it(
    client, planned_session, manager
):
    client.force_login(manager)
    response = client.post(
        reverse("exams:unavailability_add", args=[planned_session.pk]),
        {
            "panel": "Jury 2",
            "starts_at": "2027-01-12T08:00",
            "ends_at": "2027-01-12T12:00",
            "reason": "Train retardé",
        },
    )
    assert response.status_code == 302
    period = JuryUnavailability.objects.get()
    assert (period.panel, period.reason) == ("Jury 2", "Train retardé")
    assert period.starts_at == dt.datetime(2027, 1, 12, 8, tzinfo=PARIS)
    assert period.ends_at == dt.datetime(2027, 1, 12, 12, tzinfo=PARIS)
    event = AuditEvent.objects.get(action="session.jury_unavailable")
    assert event.details == {"panel": "Jury 2"}
    html = page(client.get(response["Location"]))
    assert "Indisponibilité enregistrée : Jury 2." in html
    assert "re-planifiez-le" in html  # the timetable in force ignores it
    assert (
        '<th scope="row">Jury 2</th> <td>12/01/2027 08:00</td> <td>12/01/2027 12:00</td> '
        "<td>Train retardé</td>" in html
    )
    assert services.timetable_problem(planned_session).unavailable == {
        "Jury 2": [(period.starts_at, period.ends_at)]
    }
    services.optimise_timetable(session=planned_session, actor=manager, time_limit_seconds=2)
    for entry in TimetableEntry.objects.filter(jury_panel="Jury 2"):
        assert entry.starts_at >= period.ends_at

    client.post(reverse("exams:unavailability_remove", args=[planned_session.pk, period.pk]))
    assert not JuryUnavailability.objects.exists()
    assert AuditEvent.objects.filter(action="session.jury_available").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2027-01-12T07:00"}, "Fin de l'indisponibilité", "Elle doit suivre le début"),
        ({"panel": "Jury 9"}, "Jury", "Sélectionnez un choix valide"),
        ({"starts_at": "demain"}, "Début de l'indisponibilité", "Saisissez une date et une heure"),
    ],
)
def test_an_invalid_unavailability_is_refused_naming_the_field(
    client, planned_session, manager, changes, field, message
):
    client.force_login(manager)
    data = {"panel": "Jury 1", "starts_at": "2027-01-12T08:00", "ends_at": "2027-01-12T12:00"}
    response = client.post(
        reverse("exams:unavailability_add", args=[planned_session.pk]), {**data, **changes}
    )
    assert response.status_code == 400
    assert f"{field}</a> : {message}" in page(response).replace("&#x27;", "'")
    assert not JuryUnavailability.objects.exists()
    assert not AuditEvent.objects.filter(action="session.jury_unavailable").exists()


# --- withdrawing, then re-planning ------------------------------------------------------------


def test_withdrawing_asks_for_confirmation_then_takes_the_candidate_out(
    client, planned_session, manager
):
    seat = SessionCandidate.objects.get(enrolment__candidate__last_name="Petit")
    url = reverse("exams:withdraw", args=[planned_session.pk, seat.pk])
    client.force_login(manager)
    assert url in page(client.get(reverse("exams:detail", args=[planned_session.pk])))
    html = page(client.get(url))
    assert "<h1>Désistement de Petit Alex</h1>" in html
    assert "Confirmer le désistement de Petit Alex" in html
    assert seat.phases.exists()

    response = client.post(url, follow=True)
    seat.refresh_from_db()
    assert seat.withdrawn_at is not None
    assert not seat.phases.exists()
    assert AuditEvent.objects.filter(action="session.candidate_withdrawn").count() == 1
    html = page(response)
    assert "Désistement enregistré : Petit Alex ne figure plus au planning." in html
    assert 'Petit Alex <span class="meta">désisté le' in html
    assert "Candidats (2, et 1 désisté)" in html  # the count is of those still sitting
    assert all(
        p.candidate != str(seat.pk) for p in services.timetable_problem(planned_session).phases
    )

    again = client.post(url, follow=True)
    assert "Petit Alex s&#x27;est déjà désisté." in page(again)
    assert AuditEvent.objects.filter(action="session.candidate_withdrawn").count() == 1


def test_after_a_withdrawal_and_an_absence_the_session_page_replans_and_lists_who_to_reconvene(
    client, planned_session, manager
):
    services.send_convocations(session=planned_session, actor=manager)
    petit = SessionCandidate.objects.get(enrolment__candidate__last_name="Petit")
    on_jury_1 = {str(e.seat) for e in TimetableEntry.objects.filter(jury_panel="Jury 1")}
    on_jury_1.discard("Petit Alex")
    assert on_jury_1
    client.force_login(manager)
    detail = reverse("exams:detail", args=[planned_session.pk])
    assert "Re-planifier (après convocations)" in page(client.get(detail))

    client.post(reverse("exams:withdraw", args=[planned_session.pk, petit.pk]))
    client.post(
        reverse("exams:unavailability_add", args=[planned_session.pk]),
        {"panel": "Jury 1", "starts_at": "2027-01-12T08:00", "ends_at": "2027-01-12T18:00"},
    )
    response = client.post(
        reverse("exams:replan", args=[planned_session.pk]), {"retour": "session"}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail
    html = page(response)
    event = AuditEvent.objects.get(action="session.timetable_replanned")
    reconvene = [str(SessionCandidate.objects.get(pk=pk)) for pk in event.details["reconvene"]]
    assert set(reconvene) == on_jury_1  # the absent panel's candidates move to Jury 2
    assert "Petit Alex" not in reconvene
    assert f"À reconvoquer ({len(reconvene)}) : {', '.join(reconvene)}." in html
    # The list stays on the session page until they are convened again.
    html = page(client.get(detail))
    assert f"<strong>À reconvoquer ({len(reconvene)}) :</strong> {', '.join(reconvene)}." in html
    assert not TimetableEntry.objects.filter(jury_panel="Jury 1").exists()
    assert not TimetableEntry.objects.filter(seat=petit).exists()

    client.post(reverse("exams:convocations", args=[planned_session.pk]))
    assert "<strong>À reconvoquer" not in page(client.get(detail))
    assert not petit.convocations.filter(sent_at__gt=event.occurred_at).exists()


# --- who may do it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("assessor_on_the_jury", 403), ("assessor_elsewhere", 403)],
)
def test_only_the_sessions_managers_set_the_timetable_inputs(
    client, planned_session, manager, persona, status, outsider, assessors, organisation
):
    item = services.add_equipment(
        session=planned_session, actor=manager, name="imprimante", count=1, shared_by=12
    )
    period = services.add_jury_unavailability(
        session=planned_session,
        panel="Jury 1",
        starts_at=dt.datetime(2027, 1, 12, 8, tzinfo=PARIS),
        ends_at=dt.datetime(2027, 1, 12, 9, tzinfo=PARIS),
        actor=manager,
    )
    seat = planned_session.candidates.first()
    user = {
        "outsider": outsider,
        "assessor_on_the_jury": assessors[0],
        "assessor_elsewhere": UserFactory(
            username="jure-ailleurs", assessor=True, organisation=organisation
        ),
    }[persona]
    events = AuditEvent.objects.count()
    before = unchanged(planned_session)
    client.force_login(user)
    pk = planned_session.pk
    assert client.get(settings_url(planned_session)).status_code == status
    assert client.post(settings_url(planned_session), options()).status_code == status
    for name, args, data in [
        ("equipment_add", [pk], {"name": "téléphone", "count": "1", "shared_by": "1"}),
        ("equipment_remove", [pk, item.pk], {}),
        (
            "unavailability_add",
            [pk],
            {"panel": "Jury 2", "starts_at": "2027-01-12T08:00", "ends_at": "2027-01-12T09:00"},
        ),
        ("unavailability_remove", [pk, period.pk], {}),
        ("withdraw", [pk, seat.pk], {}),
    ]:
        assert client.post(reverse(f"exams:{name}", args=args), data).status_code == status
    assert client.get(reverse("exams:withdraw", args=[pk, seat.pk])).status_code == status
    assert AuditEvent.objects.count() == events
    assert unchanged(planned_session) == before
    assert SessionEquipment.objects.count() == JuryUnavailability.objects.count() == 1
    seat.refresh_from_db()
    assert seat.withdrawn_at is None


def test_items_of_another_session_are_not_reached_through_this_one(
    client, planned_session, manager
):
    other = another_session(planned_session, manager)
    item = services.add_equipment(
        session=planned_session, actor=manager, name="imprimante", count=1, shared_by=12
    )
    seat = planned_session.candidates.first()
    client.force_login(manager)
    url = reverse("exams:equipment_remove", args=[other.pk, item.pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("exams:withdraw", args=[other.pk, seat.pk])).status_code == 404
    assert SessionEquipment.objects.count() == 1


# --- the page's queries -----------------------------------------------------------------------


def test_the_settings_page_queries_do_not_grow_with_equipment_and_absences(
    client, planned_session, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    services.send_convocations(session=planned_session, actor=manager)
    client.get(settings_url(planned_session))  # the référentiel is loaded once per process
    with django_assert_max_num_queries(QUERIES) as few:
        assert client.get(settings_url(planned_session)).status_code == 200
    for name, count in [("imprimante", 1), ("téléphone", 2), ("ordinateur portable", 2)]:
        services.add_equipment(
            session=planned_session, actor=manager, name=name, count=count, shared_by=1
        )
    for hour in range(8, 12):
        services.add_jury_unavailability(
            session=planned_session,
            panel="Jury 1",
            starts_at=dt.datetime(2027, 1, 12, hour, tzinfo=PARIS),
            ends_at=dt.datetime(2027, 1, 12, hour, 30, tzinfo=PARIS),
            actor=manager,
        )
    with django_assert_max_num_queries(QUERIES) as many:
        assert client.get(settings_url(planned_session)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
