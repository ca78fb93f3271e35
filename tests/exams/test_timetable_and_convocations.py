"""From a composed session to its timetable and the convocations sent to each candidate."""

from __future__ import annotations

import io

import icalendar
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from attesta.candidates import services as candidate_services
from attesta.exams import scheduler, services, validity
from attesta.exams.models import ConvocationRecord, TimetableEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_session(centre_session, manager, assessors, organisation):
    seats = services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    fourth = UserFactory(username="jure3", assessor=True, organisation=organisation)
    for user, panel in zip(
        [*assessors, fourth], ["Jury 1", "Jury 1", "Jury 2", "Jury 2"], strict=True
    ):
        services.add_jury_member(session=centre_session, user=user, actor=manager, panel=panel)
    services.add_supervisor(session=centre_session, name="Paul Surveillant", actor=manager)
    first = seats[0].enrolment
    first.candidate.email = "martin@example.invalid"
    first.candidate.save()
    referent = UserFactory(username="ref", referent=True, organisation=organisation)
    candidate_services.record_accommodation(
        enrolment=first, actor=referent, disability="Confidentiel", extra_time_percent=33
    )
    return centre_session


def test_the_timetable_places_every_phase_without_conflict_with_extra_time(ready_session, manager):
    result = services.build_timetable(session=ready_session, actor=manager)
    problem = services.timetable_problem(ready_session)
    assert validity.conflicts(result, problem) == []
    assert result.unplaced == []
    assert TimetableEntry.objects.count() == 12  # 3 candidates × 4 methods
    martin = TimetableEntry.objects.filter(seat__enrolment__candidate__last_name="Martin")
    assert [(e.base_minutes, e.minutes) for e in martin.order_by("position")] == [
        (105, 140),
        (55, 74),
        (70, 94),
        (10, 14),
    ]
    assert {e.jury_panel for e in TimetableEntry.objects.all()} == {"Jury 1", "Jury 2"}


def test_a_trainer_never_assesses_their_candidate_in_the_timetable(ready_session, manager):
    martin_seat = ready_session.candidates.get(enrolment__candidate__last_name="Martin")
    ready_session.jury.get(user__username="jure0").trained.add(martin_seat)
    services.build_timetable(session=ready_session, actor=manager)
    panels = set(
        TimetableEntry.objects.filter(seat=martin_seat).values_list("jury_panel", flat=True)
    )
    assert panels == {"Jury 2"}


def test_rebuilding_replaces_the_plan(ready_session, manager):
    services.build_timetable(session=ready_session, actor=manager)
    services.build_timetable(session=ready_session, actor=manager)
    assert TimetableEntry.objects.count() == 12


def test_convocations_carry_schedule_productions_and_measures(ready_session, manager):
    services.build_timetable(session=ready_session, actor=manager)
    records = services.send_convocations(session=ready_session, actor=manager)
    assert len(records) == 3
    martin = next(r for r in records if r.sent_to)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(martin.pdf.read())).pages)
    assert "Alex Martin" in text
    assert "mardi 12 janvier 2027" in text
    assert "Diaporama" in text
    assert "Temps majoré : +33 %" in text
    assert "Confidentiel" not in text
    calendar = icalendar.Calendar.from_ical(martin.ics.read())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 4
    assert events[0]["DTSTART"].dt.hour == 8
    assert all(seat.enrolment.status == "convened" for seat in ready_session.candidates.all())
    assert len(mail.outbox) == 0  # sent on commit


def test_convocations_are_emailed_once_committed(
    ready_session, manager, django_capture_on_commit_callbacks
):
    services.build_timetable(session=ready_session, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_convocations(session=ready_session, actor=manager)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["martin@example.invalid"]
    assert sorted(name.rsplit(".", 1)[1] for name, *_ in message.attachments) == ["ics", "pdf"]


def test_convocations_need_a_timetable(ready_session, manager):
    with pytest.raises(services.SessionError, match="Sans place au planning"):
        services.send_convocations(session=ready_session, actor=manager)
    assert not ConvocationRecord.objects.exists()


def test_the_manager_drives_timetable_and_convocations_from_the_page(
    client, ready_session, manager
):
    client.force_login(manager)
    url = reverse("exams:detail", args=[ready_session.pk])
    client.post(reverse("exams:timetable", args=[ready_session.pk]))
    html = client.get(url).content.decode()
    assert "140 min au lieu de 105" in html
    response = client.post(reverse("exams:convocations", args=[ready_session.pk]), follow=True)
    assert "3 convocation(s) établie(s), 1 envoyée(s) par courriel." in response.content.decode()
    record = ConvocationRecord.objects.get(sent_to="martin@example.invalid")
    pdf = client.get(
        reverse("exams:convocation_file", args=[ready_session.pk, record.reference, "pdf"])
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_outsiders_and_assessors_cannot_fetch_convocations(
    client, ready_session, manager, outsider, assessors
):
    services.build_timetable(session=ready_session, actor=manager)
    record = services.send_convocations(session=ready_session, actor=manager)[0]
    url = reverse("exams:convocation_file", args=[ready_session.pk, record.reference, "pdf"])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(assessors[0])
    assert client.get(url).status_code == 403


def test_a_sent_convocation_is_never_edited(ready_session, manager):
    services.build_timetable(session=ready_session, actor=manager)
    record = services.send_convocations(session=ready_session, actor=manager)[0]
    record.sent_to = "autre@example.invalid"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        record.save()


def test_the_optimised_timetable_is_kept_and_never_later_than_first_fit(ready_session, manager):
    first = services.build_timetable(session=ready_session, actor=manager)
    problem = services.timetable_problem(ready_session)
    baseline = scheduler.figures(first, problem)
    schedule = services.optimise_timetable(
        session=ready_session, actor=manager, time_limit_seconds=3
    )
    assert schedule.status in ("optimal", "feasible")
    assert validity.conflicts(schedule.timetable, problem) == []
    assert schedule.makespan_minutes <= baseline["makespan_minutes"]
    assert schedule.makespan_minutes >= schedule.lower_bound_minutes
    assert TimetableEntry.objects.count() == 12


def test_the_manager_optimises_from_the_page_and_the_cli(client, ready_session, manager, capsys):
    client.force_login(manager)
    response = client.post(reverse("exams:optimise", args=[ready_session.pk]), follow=True)
    assert "Planning optimisé" in response.content.decode()
    assert TimetableEntry.objects.count() == 12
    call_command("schedule", str(ready_session.pk), "--time-limit", "2")
    out = capsys.readouterr().out
    assert "borne inférieure (min)" in out
    assert "premier placement" in out
    with pytest.raises(CommandError) as error:
        call_command("schedule", "999999")
    assert error.value.returncode == 2
