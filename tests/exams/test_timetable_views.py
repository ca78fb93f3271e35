"""The session timetable page: grid per day, each candidate's sequence, pins and exports."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from pypdf import PdfReader

from attesta.candidates import services as candidate_services
from attesta.core.models import AuditEvent
from attesta.exams import services
from attesta.exams.models import SessionCandidate, TimetableEntry
from tests.exams.fixtures import another_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
QUERIES = 8  # user, login session, exam session, phases, panels, seats, convened?, messages


def add_candidates(session, manager, names: list[str]) -> None:
    enrolments = []
    for n, name in enumerate(names):
        candidate = candidate_services.register_candidate(
            organisation=session.organisation,
            actor=manager,
            last_name=name,
            first_names="Sam",
            birth_date=dt.date(1990, 2, n + 1),
            birth_place="Lyon",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate, version=session.version, path="vae", actor=manager
        )
        enrolment.change_status("eligible", actor=manager)
        enrolments.append(enrolment)
    services.seat_candidates(session=session, enrolments=enrolments, actor=manager)


@pytest.fixture
def planned_session(centre_session, manager, assessors, organisation):
    """Three candidates timetabled first-fit before two panels; Martin has 33 % extra time
    for a reason only the disability referent knows."""
    seats = services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    fourth = UserFactory(username="jure3", assessor=True, organisation=organisation)
    for user, panel in zip(
        [*assessors, fourth], ["Jury 1", "Jury 1", "Jury 2", "Jury 2"], strict=True
    ):
        services.add_jury_member(session=centre_session, user=user, actor=manager, panel=panel)
    services.add_supervisor(session=centre_session, name="Paul Surveillant", actor=manager)
    referent = UserFactory(username="ref", referent=True, organisation=organisation)
    candidate_services.record_accommodation(
        enrolment=seats[0].enrolment,
        actor=referent,
        disability="Trouble confidentiel",
        extra_time_percent=33,
    )
    services.build_timetable(session=centre_session, actor=manager)
    return centre_session


def planning_url(session, **query: str) -> str:
    url = reverse("exams:planning", args=[session.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(response) -> str:
    """The response's HTML, whitespace collapsed: layout changes do not break the tests."""
    return " ".join(response.content.decode().split())


def pin_url(entry: TimetableEntry) -> str:
    return reverse("exams:phase_pin", args=[entry.session_id, entry.pk])


def hours(entry: TimetableEntry) -> str:
    """« 08 h 00 – 09 h 00 », in Paris time."""
    start, end = entry.starts_at.astimezone(PARIS), entry.ends_at.astimezone(PARIS)
    return f"{start:%H} h {start:%M} – {end:%H} h {end:%M}"


def martin_first_phase() -> TimetableEntry:
    return TimetableEntry.objects.get(seat__enrolment__candidate__last_name="Martin", position=0)


# --- the page ---------------------------------------------------------------------------------


def test_the_manager_reads_a_grid_per_day_and_each_candidates_sequence(
    client, planned_session, manager
):
    client.force_login(manager)
    response = client.get(planning_url(planned_session))
    assert response.status_code == 200
    html = page(response)
    entries = TimetableEntry.objects.count()
    # One grid for the day: a real table, captioned, in a focusable labelled scroll region.
    assert html.count('class="timegrid"') == 1
    assert 'role="region" tabindex="0" aria-labelledby="grille-1"' in html
    assert f"Mardi 12 janvier 2027 : {entries} phase(s), une colonne toutes les 15 minutes" in html
    assert '<th scope="col" colspan="1">08 h 00</th>' in html
    for kind, name in [("Jury", "Jury 1"), ("Jury", "Jury 2"), ("Salle", "Salle C")]:
        assert f'<th scope="row"> <span class="meta">{kind}</span> {name} </th>' in html
    # Martin's extra time shows as durations, never its reason.
    first = martin_first_phase()
    assert first.minutes > first.base_minutes
    assert f"{hours(first)} · {first.minutes} min ({first.base_minutes} prévues)" in html
    assert "confidentiel" not in html.casefold()
    # Each candidate's sequence, with the wait before each phase and a pin form per phase.
    for name in ["Martin Alex", "Durand Alex", "Petit Alex"]:
        assert f"{name} : attente totale" in html
    assert html.count('name="pinned" value="1"') == entries
    assert html.count("Non épinglée") == entries


def test_a_phase_spans_exactly_its_duration_in_the_grid(client, planned_session, manager):
    TimetableEntry.objects.all().delete()
    martin, durand, _ = planned_session.candidates.order_by("position")
    for seat, start, end in [(martin, (8, 0), (10, 20)), (durand, (10, 20), (11, 34))]:
        TimetableEntry.objects.create(
            session=planned_session,
            seat=seat,
            position=0,
            method_title="Entretien",
            method_kind="interview",
            base_minutes=60,
            minutes=60,
            starts_at=dt.datetime(2027, 1, 12, *start, tzinfo=PARIS),
            ends_at=dt.datetime(2027, 1, 12, *end, tzinfo=PARIS),
            room="Salle A",
            jury_panel="Jury 1",
        )
    client.force_login(manager)
    html = page(client.get(planning_url(planned_session, pas="60")))
    assert "une colonne toutes les 60 minutes" in html
    # Columns are cut at 10 h 20 and 11 h 34: 08 h, 09 h, 10 h–10 h 20 for Martin, then
    # 10 h 20–11 h and 11 h–11 h 34 for Durand, on the jury's row and on the room's.
    assert html.count('<td colspan="3" class="phase"> <strong>Martin Alex</strong>') == 2
    assert html.count('<td colspan="2" class="phase"> <strong>Durand Alex</strong>') == 2
    assert '<th scope="col" colspan="2">10 h 00</th>' in html
    assert '<th scope="col" colspan="2">11 h 00</th>' in html


def test_every_day_of_the_session_gets_its_grid_and_the_sequences_name_the_day(
    client, planned_session, manager
):
    planned_session.ends_on = dt.date(2027, 1, 13)
    planned_session.save()
    client.force_login(manager)
    html = page(client.get(planning_url(planned_session)))
    assert html.count('class="timegrid"') == 2
    assert "Mercredi 13 janvier 2027 : 0 phase(s)" in html
    assert '<th scope="col">Jour</th>' in html
    assert "<td>mardi 12 janvier 2027</td>" in html


def test_an_unknown_step_is_refused_and_the_finest_grid_shown(client, planned_session, manager):
    client.force_login(manager)
    response = client.get(planning_url(planned_session, pas="7"))
    assert response.status_code == 400
    html = page(response)
    assert "Sélectionnez un choix valide" in html
    assert "une colonne toutes les 15 minutes" in html


def test_a_session_without_timetable_says_so(client, centre_session, manager):
    client.force_login(manager)
    response = client.get(planning_url(centre_session))
    assert response.status_code == 200
    assert "Pas encore de planning" in response.content.decode()


def test_the_session_page_links_to_the_timetable_page(client, planned_session, manager):
    client.force_login(manager)
    html = client.get(reverse("exams:detail", args=[planned_session.pk])).content.decode()
    assert planning_url(planned_session) in html


def test_the_page_queries_do_not_grow_with_the_candidates(
    client, planned_session, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(planning_url(planned_session)).status_code == 200
    before = TimetableEntry.objects.count()
    add_candidates(planned_session, manager, ["Bernard", "Thomas", "Robert", "Richard"])
    services.build_timetable(session=planned_session, actor=manager)
    assert TimetableEntry.objects.count() > before
    with django_assert_max_num_queries(QUERIES):
        assert client.get(planning_url(planned_session)).status_code == 200


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "assessor_on_the_jury", "assessor_elsewhere"])
def test_only_the_sessions_managers_reach_the_timetable_pages(
    client, planned_session, persona, outsider, assessors, organisation
):
    user = {
        "outsider": outsider,
        "assessor_on_the_jury": assessors[0],
        "assessor_elsewhere": UserFactory(
            username="jure-ailleurs", assessor=True, organisation=organisation
        ),
    }[persona]
    client.force_login(user)
    entry = martin_first_phase()
    assert client.get(planning_url(planned_session)).status_code == 404
    assert client.post(pin_url(entry), {"pinned": "1"}).status_code == 404
    for kind in ["pdf", "ics"]:
        url = reverse("exams:planning_file", args=[planned_session.pk, kind])
        assert client.get(url).status_code == 404
    entry.refresh_from_db()
    assert not entry.pinned
    assert not AuditEvent.objects.filter(action="session.phase_pinned").exists()


def test_signed_out_visitors_are_sent_to_the_login_page(client, planned_session):
    response = client.get(planning_url(planned_session))
    assert response.status_code == 302
    assert "login" in response["Location"] or "connexion" in response["Location"]


# --- pins -------------------------------------------------------------------------------------


def test_the_manager_pins_a_phase_and_it_is_kept_and_audited(client, planned_session, manager):
    client.force_login(manager)
    entry = martin_first_phase()
    response = client.post(pin_url(entry), {"pinned": "1", "pas": "30"})
    assert response.status_code == 302
    assert response["Location"] == planning_url(planned_session, pas="30") + f"#phase-{entry.pk}"
    entry.refresh_from_db()
    assert entry.pinned
    event = AuditEvent.objects.get(action="session.phase_pinned")
    assert event.actor == manager
    assert event.target == f"session:{planned_session.pk}"
    assert event.details["entry"] == entry.pk
    html = page(client.get(response["Location"]))
    assert f"Martin Alex – {entry.method_title} : épinglée" in html  # the message
    assert "1 phase(s) épinglée(s)" in html
    assert 'alt="Épinglée"' in html
    assert "> Épinglée</span>" in html
    assert 'name="pinned" value="0"' in html


def test_pinning_twice_changes_nothing_and_unpinning_is_audited(client, planned_session, manager):
    client.force_login(manager)
    entry = martin_first_phase()
    client.post(pin_url(entry), {"pinned": "1"})
    client.post(pin_url(entry), {"pinned": "1"})
    assert AuditEvent.objects.filter(action="session.phase_pinned").count() == 1
    client.post(pin_url(entry), {"pinned": "0"})
    entry.refresh_from_db()
    assert not entry.pinned
    assert AuditEvent.objects.filter(action="session.phase_unpinned").count() == 1


@pytest.mark.parametrize("data", [{}, {"pinned": "peut-être"}])
def test_a_pin_request_without_a_clear_choice_changes_nothing(
    client, planned_session, manager, data
):
    client.force_login(manager)
    entry = martin_first_phase()
    response = client.post(pin_url(entry), data, follow=True)
    assert "choisissez d&#x27;épingler ou de libérer la phase" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.pinned
    assert not AuditEvent.objects.filter(action__startswith="session.phase_").exists()


def test_a_phase_of_another_session_cannot_be_pinned_through_this_one(
    client, planned_session, manager
):
    other = another_session(planned_session, manager)
    client.force_login(manager)
    entry = martin_first_phase()
    url = reverse("exams:phase_pin", args=[other.pk, entry.pk])
    assert client.post(url, {"pinned": "1"}).status_code == 404
    assert client.get(pin_url(entry)).status_code == 405


def test_pinning_with_htmx_swaps_the_timetable_in_place(client, planned_session, manager):
    client.force_login(manager)
    entry = martin_first_phase()
    response = client.post(
        pin_url(entry), {"pinned": "1", "pas": "30"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = page(response)
    assert html.lstrip().startswith('<div id="planning"')
    assert "<html" not in html
    assert 'role="status"' in html
    assert "épinglée, re-planifier la gardera à sa place." in html
    assert "une colonne toutes les 30 minutes" in html
    assert f'id="epinglage-{entry.pk}"' in html  # focus comes back to the same button
    entry.refresh_from_db()
    assert entry.pinned


def test_a_refused_pin_with_htmx_says_why_in_place(client, planned_session, manager):
    client.force_login(manager)
    entry = martin_first_phase()
    response = client.post(pin_url(entry), {"pinned": "2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps no error answer
    html = page(response)
    assert 'role="alert">Épinglage : choisissez d&#x27;épingler ou de libérer la phase.' in html
    entry.refresh_from_db()
    assert not entry.pinned


def test_re_optimising_from_the_timetable_page_comes_back_to_it(client, planned_session, manager):
    client.force_login(manager)
    response = client.post(
        reverse("exams:optimise", args=[planned_session.pk]), {"retour": "planning"}
    )
    assert response["Location"] == planning_url(planned_session)


# --- re-planning once convocations are out -----------------------------------------------


def test_the_replan_button_appears_once_convocations_are_out(client, planned_session, manager):
    client.force_login(manager)
    assert "Re-planifier (après convocations)" not in page(
        client.get(planning_url(planned_session))
    )
    services.send_convocations(session=planned_session, actor=manager)
    assert "Re-planifier (après convocations)" in page(client.get(planning_url(planned_session)))


def test_replanning_without_a_room_lists_the_convened_candidates_who_move(
    client, planned_session, manager
):
    services.send_convocations(session=planned_session, actor=manager)
    moved_out = {str(e.seat) for e in TimetableEntry.objects.filter(room="Salle A")}
    assert moved_out
    planned_session.rooms = ["Salle B", "Salle C"]
    planned_session.save()
    client.force_login(manager)
    response = client.post(reverse("exams:replan", args=[planned_session.pk]), follow=True)
    assert response.redirect_chain[-1][0] == planning_url(planned_session)
    html = page(response)
    assert "Planning optimisé" in html
    event = AuditEvent.objects.get(action="session.timetable_replanned")
    reconvene = [str(SessionCandidate.objects.get(pk=pk)) for pk in event.details["reconvene"]]
    assert moved_out <= set(reconvene)
    assert f"À reconvoquer ({len(reconvene)}) : {', '.join(reconvene)}." in html
    assert not TimetableEntry.objects.filter(room="Salle A").exists()


def test_replanning_around_pinned_phases_reconvenes_no_one(client, planned_session, manager):
    services.send_convocations(session=planned_session, actor=manager)
    for entry in TimetableEntry.objects.all():
        services.pin_phase(entry=entry, pinned=True, actor=manager)
    before = list(TimetableEntry.objects.values_list("seat", "position", "starts_at", "room"))
    client.force_login(manager)
    response = client.post(reverse("exams:replan", args=[planned_session.pk]), follow=True)
    assert "Aucun candidat convoqué ne change d&#x27;horaire" in page(response)
    after = list(TimetableEntry.objects.values_list("seat", "position", "starts_at", "room"))
    assert sorted(after) == sorted(before)


def test_only_managers_replan(client, planned_session, assessors):
    client.force_login(assessors[0])
    assert client.post(reverse("exams:replan", args=[planned_session.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="session.timetable_replanned").exists()


# --- exports ----------------------------------------------------------------------------------


def test_the_pdf_export_is_an_a4_landscape_timetable_in_french(client, planned_session, manager):
    client.force_login(manager)
    response = client.get(reverse("exams:planning_file", args=[planned_session.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(page.extract_text() for page in reader.pages)
    first = martin_first_phase()
    for expected in [
        "Planning de la session",
        "Mardi 12 janvier 2027",
        "Martin Alex",
        "Durand Alex",
        "Petit Alex",
        f"{hours(first)} Martin Alex {first.method_title}",
        f"{first.minutes} min ({first.base_minutes} prévues)",
        "Jury 2",
    ]:
        assert expected in text
    assert "confidentiel" not in text.casefold()


def test_the_ics_export_has_one_event_per_phase_at_its_times(client, planned_session, manager):
    client.force_login(manager)
    response = client.get(reverse("exams:planning_file", args=[planned_session.pk, "ics"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    entries = list(TimetableEntry.objects.order_by("starts_at", "seat__position", "position"))
    assert len(events) == len(entries) > 3
    assert len({str(e["UID"]) for e in events}) == len(entries)
    for event, entry in zip(events, entries, strict=True):
        assert event["DTSTART"].dt == entry.starts_at
        assert event["DTEND"].dt == entry.ends_at
        assert event["DTSTART"].dt.tzinfo.key == "Europe/Paris"
        assert str(event["SUMMARY"]) == f"{entry.seat} – {entry.method_title}"
        assert entry.room in str(event["LOCATION"])
    assert "confidentiel" not in response.content.decode().casefold()


def test_exporting_before_any_timetable_explains_why_not(client, centre_session, manager):
    client.force_login(manager)
    response = client.get(
        reverse("exams:planning_file", args=[centre_session.pk, "pdf"]), follow=True
    )
    assert "Pas encore de planning à exporter." in response.content.decode()


def test_an_unknown_export_format_does_not_exist(client, planned_session, manager):
    client.force_login(manager)
    url = reverse("exams:planning_file", args=[planned_session.pk, "xlsx"])
    assert client.get(url).status_code == 404
