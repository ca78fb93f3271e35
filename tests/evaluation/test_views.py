"""The jury pages through the test client: the assessor's candidates and grid (htmx and
without JavaScript), the consolidation, the deliberation, the minutes and their signatures,
the session manager's results and the candidate's own results; who may see and do what."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from attesta.candidates import services as candidate_services
from attesta.candidates.models import ExemptionRequest
from attesta.evaluation import services
from attesta.evaluation.models import (
    CompetencyDecision,
    ConditionFinding,
    CriterionMark,
    Minutes,
    MinutesSignature,
)
from attesta.exams import services as exam_services
from attesta.exams.models import TimetableEntry
from attesta.referentiels.models import Criterion
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CCP1 = ["CP1", "CP2", "CP3", "CP4"]
CCP2 = ["CP5", "CP6", "CP7", "CP8"]
FINAL_INTERVIEW = "method:certification:3"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seats(seat):
    return list(seat.session.candidates.order_by("position"))


@pytest.fixture
def outsider_assessor(assessors):
    """Same organisation, assessor role, but not on this session's jury."""
    return assessors[2]


def grid_url(seat, method=0):
    return reverse("evaluation:grid", kwargs={"pk": seat.pk, "method": method})


def seat_url(seat):
    return reverse("evaluation:seat", kwargs={"pk": seat.pk})


def decide_all(seat, actor, *, acquired=True):
    for code in CCP1 + CCP2:
        services.decide_competency(
            seat=seat,
            competency_code=code,
            acquired=acquired,
            justification="Au vu des épreuves." if acquired else "",
            actor=actor,
        )
    services.record_condition(seat=seat, condition_key=FINAL_INTERVIEW, met=True, actor=actor)


def ready_for_minutes(seats, president):
    """The first candidate fully decided (title obtained), the two others absent."""
    decide_all(seats[0], president)
    for other in seats[1:]:
        services.record_attendance(seat=other, status="absent", actor=president)


def sign_all(minutes, *jurors):
    for juror in jurors:
        services.sign_minutes(minutes=minutes, actor=juror, content_hash=minutes.content_hash)


def seat_more_candidates(session, manager, count):
    for n in range(count):
        candidate = candidate_services.register_candidate(
            organisation=session.organisation,
            actor=manager,
            last_name=f"Ajout{n}",
            first_names="Sam",
            birth_date=dt.date(1990, 1, n + 1),
            birth_place="Lyon",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate, version=session.version, path="vae", actor=manager
        )
        enrolment.change_status("eligible", actor=manager)
        exam_services.seat_candidates(session=session, enrolments=[enrolment], actor=manager)


def text(response):
    """The page as one line, entities decoded."""
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


# --- assessor: my candidates ---------------------------------------------------------------


def test_my_candidates_lists_the_seats_of_the_sessions_the_assessor_sits_on(
    client, seats, member, django_assert_max_num_queries
):
    client.force_login(member)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("evaluation:home"))

    assert response.status_code == 200
    page = text(response)
    assert "CC – janvier 2027" in page
    for name in ["Martin", "Durand", "Petit"]:
        assert f"{name} Alex" in page
    assert grid_url(seats[0], 0) in page
    assert grid_url(seats[0], 3) not in page  # the final interview has no grid
    assert "0 critère(s) sur 27 appréciés" in page


def test_my_candidates_is_empty_for_an_assessor_off_the_jury(client, seats, outsider_assessor):
    client.force_login(outsider_assessor)

    response = client.get(reverse("evaluation:home"))

    assert "Vous ne siégez dans aucun jury" in text(response)
    assert "Martin" not in text(response)


def test_my_candidates_shows_only_the_panel_assigned_by_the_timetable(
    client, seats, member, assessors, manager
):
    exam_services.add_jury_member(
        session=seats[0].session, user=assessors[2], actor=manager, panel="Jury 2"
    )
    start = dt.datetime(2027, 1, 12, 8, tzinfo=dt.UTC)
    for position in range(3):
        TimetableEntry.objects.create(
            session=seats[0].session,
            seat=seats[0],
            position=position,
            method_title="Phase",
            method_kind="professional_situation",
            base_minutes=60,
            minutes=60,
            starts_at=start + dt.timedelta(hours=position),
            ends_at=start + dt.timedelta(hours=position + 1),
            room="Salle A",
            jury_panel="Jury 2",
        )
    client.force_login(member)

    page = text(client.get(reverse("evaluation:home")))

    assert "Martin Alex" not in page
    assert "Durand Alex" in page
    assert client.get(grid_url(seats[0])).status_code == 404
    client.force_login(assessors[2])
    assert "Martin Alex" in text(client.get(reverse("evaluation:home")))
    assert client.get(grid_url(seats[0])).status_code == 200


# --- assessor: the grid --------------------------------------------------------------------


def test_the_grid_has_a_fieldset_per_competency_and_a_radio_group_per_criterion(
    client, seat, member
):
    client.force_login(member)

    response = client.get(grid_url(seat))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="competency-grid"') == 4  # CP3, CP5, CP6, CP7
    assert page.count('type="radio"') == 27 * 3
    assert page.count('name="c1-version"') == 1
    assert 'hx-post="' in page
    assert "hx-vals" in page
    assert "<script>" not in page
    assert 'style="' not in page
    # Transversal competencies: shown as assessed through the professional ones, not graded.
    assert "CT1" in page
    assert "à travers CP3, CP5, CP6, CP7" in text(response)
    assert 'name="c1-mark" value="met"' in page


def test_a_criterion_is_saved_inline_with_htmx(client, seat, member):
    client.force_login(member)

    response = client.post(
        grid_url(seat),
        {"criterion": "1", "c1-mark": "met", "c1-comment": " Bien ", "c1-version": "0"},
        **HTMX,
    )

    assert response.status_code == 200
    body = text(response)
    assert "Enregistré : Satisfait." in body
    assert 'id="id_c1-version"' in body
    assert 'value="1"' in body
    assert "hx-swap-oob" in body
    assert "<html" not in body
    stored = CriterionMark.objects.get()
    assert (stored.criterion_key, stored.mark, stored.comment, stored.version) == (
        "CP3#1",
        "met",
        "Bien",
        1,
    )


def test_a_stale_inline_save_is_refused_with_an_alert_and_writes_nothing(client, seat, member):
    services.record_mark(
        seat=seat,
        assessor=member,
        method_index=0,
        criterion_key="CP3#1",
        mark="met",
        expected_version=0,
    )
    client.force_login(member)

    response = client.post(
        grid_url(seat),
        {"criterion": "1", "c1-mark": "not_met", "c1-comment": "", "c1-version": "0"},
        **HTMX,
    )

    body = text(response)
    assert response.status_code == 200  # htmx swaps only successful answers
    assert 'role="alert"' in body
    assert "modifié entre-temps" in body
    assert "rechargez la grille" in body
    assert "hx-swap-oob" not in body
    assert CriterionMark.objects.get().mark == "met"


def test_an_inline_save_without_a_mark_asks_for_one(client, seat, member):
    client.force_login(member)

    response = client.post(
        grid_url(seat),
        {"criterion": "2", "c2-mark": "", "c2-comment": "Observé en partie", "c2-version": "0"},
        **HTMX,
    )

    assert 'role="alert"' in text(response)
    assert "Choisissez une appréciation" in text(response)
    assert not CriterionMark.objects.exists()


def test_an_inline_save_of_an_unknown_criterion_is_a_bad_request(client, seat, member):
    client.force_login(member)

    response = client.post(grid_url(seat), {"criterion": "999"}, **HTMX)

    assert response.status_code == 400


def test_the_grid_without_javascript_saves_every_changed_criterion(client, seat, member):
    services.record_mark(
        seat=seat,
        assessor=member,
        method_index=0,
        criterion_key="CP3#2",
        mark="met",
        expected_version=0,
    )
    client.force_login(member)
    data = {f"c{n}-version": "0" for n in range(1, 28)}
    data.update(
        {
            "c1-mark": "met",
            "c2-mark": "met",  # unchanged
            "c2-version": "1",
            "c3-mark": "not_observed",
            "c3-comment": "Pas de situation de prospection",
        }
    )

    response = client.post(grid_url(seat), data, follow=True)

    assert response.redirect_chain == [(grid_url(seat), 302)]
    assert "2 critère(s) enregistré(s)." in text(response)
    marks = dict(CriterionMark.objects.values_list("criterion_key", "mark"))
    assert marks == {"CP3#1": "met", "CP3#2": "met", "CP3#3": "not_observed"}
    assert CriterionMark.objects.get(criterion_key="CP3#2").version == 1
    assert "2 critère(s) sur 27 appréciés" not in text(response)
    assert "3 critère(s) sur 27 appréciés" in text(response)


def test_the_grid_without_javascript_reports_a_stale_criterion_and_keeps_the_others(
    client, seat, member
):
    services.record_mark(
        seat=seat,
        assessor=member,
        method_index=0,
        criterion_key="CP3#1",
        mark="met",
        expected_version=0,
    )
    client.force_login(member)
    data = {f"c{n}-version": "0" for n in range(1, 28)}
    data.update({"c1-mark": "not_met", "c4-mark": "met"})

    response = client.post(grid_url(seat), data, follow=True)

    page = text(response)
    assert "1 critère(s) enregistré(s)." in page
    assert "Critère CP3#1 modifié entre-temps" in page
    marks = dict(CriterionMark.objects.values_list("criterion_key", "mark"))
    assert marks == {"CP3#1": "met", "CP3#4": "met"}


def test_an_invalid_mark_is_refused(client, seat, member):
    client.force_login(member)
    data = {f"c{n}-version": "0" for n in range(1, 28)}
    data["c1-mark"] = "exempted"

    response = client.post(grid_url(seat), data, follow=True)

    assert "saisie invalide" in text(response)
    assert not CriterionMark.objects.exists()


@pytest.mark.parametrize("who", ["outsider_assessor", "manager", "outsider"])
def test_the_grid_is_not_found_for_anyone_off_the_jury(client, seat, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(grid_url(seat)).status_code == 404
    assert client.post(grid_url(seat), {"criterion": "1"}, **HTMX).status_code == 404
    assert client.get(reverse("evaluation:consolidation", args=[seat.pk])).status_code == 404
    assert not CriterionMark.objects.exists()


def test_a_method_without_criteria_has_no_grid(client, seat, member):
    client.force_login(member)

    assert client.get(grid_url(seat, 3)).status_code == 404
    assert client.get(grid_url(seat, 9)).status_code == 404


def test_a_trainer_does_not_open_the_grid_of_their_candidate(client, seat, member):
    member.jury_seats.get().trained.add(seat)
    client.force_login(member)

    assert client.get(grid_url(seat)).status_code == 403
    assert "vous ne l'évaluez pas" in text(client.get(reverse("evaluation:home")))


@pytest.fixture
def exemption_request(seat, manager, organisation):
    """An exemption request on CP3's first criterion, with the referent's confidential
    opinion, for the seat's candidate."""
    referent = UserFactory(username="referente", referent=True, organisation=organisation)
    accommodation = candidate_services.record_accommodation(
        enrolment=seat.enrolment, actor=referent, disability="Situation confidentielle"
    )
    criterion = (
        Criterion.objects.filter(
            competency__code="CP3", competency__block__version=seat.session.version
        )
        .order_by("position", "id")
        .first()
    )
    return ExemptionRequest.objects.create(
        accommodation=accommodation,
        criterion=criterion,
        opinion="Avis motivé confidentiel du référent",
        keeps_overall_capacity=True,
        not_needed_in_future_practice=True,
    )


def test_an_exempted_criterion_is_shown_exempted_and_never_why(
    client, seat, president, member, exemption_request
):
    services.exempt_criterion(
        seat=seat, criterion_key="CP3#1", actor=president, request=exemption_request
    )
    client.force_login(member)

    page = text(client.get(grid_url(seat)))

    assert "Dispensé : ce critère n'est pas évalué pour ce candidat." in page
    assert 'name="c1-mark"' not in page
    assert page.count('type="radio"') == 26 * 3
    assert "confidentiel" not in page.lower()
    assert "Situation confidentielle" not in page


# --- consolidation -------------------------------------------------------------------------


def test_the_consolidation_spells_out_agreement_per_criterion(client, seat, president, member):
    for assessor, value in ((president, "met"), (member, "met")):
        services.record_mark(
            seat=seat,
            assessor=assessor,
            method_index=0,
            criterion_key="CP3#1",
            mark=value,
            comment=f"Vu par {assessor.username}",
            expected_version=0,
        )
    for assessor, value in ((president, "met"), (member, "not_met")):
        services.record_mark(
            seat=seat,
            assessor=assessor,
            method_index=0,
            criterion_key="CP3#2",
            mark=value,
            expected_version=0,
        )
    client.force_login(member)

    response = client.get(reverse("evaluation:consolidation", args=[seat.pk]))

    page = text(response)
    assert response.status_code == 200
    assert "1 désaccord(s), 25 critère(s) incomplet(s)." in page
    assert "<strong>Accord</strong> : Satisfait" in page
    assert "<strong>Désaccord</strong>" in page
    assert '<th scope="col">Juré0 ' in page
    assert "Aucune appréciation saisie pour cette modalité." in page  # methods 1 and 2
    assert '<span class="meta">Vu par jure1</span>' in page


# --- deliberation --------------------------------------------------------------------------


def test_the_deliberation_page_lists_the_candidates_in_a_fixed_number_of_queries(
    client, seats, president, member, manager, django_assert_max_num_queries
):
    services.record_attendance(seat=seats[1], status="absent", actor=president)
    client.force_login(member)
    url = reverse("evaluation:deliberation", args=[seats[0].session.pk])
    with django_assert_max_num_queries(25) as few:
        response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Candidats (3)" in page
    assert "<td>Absent</td>" in page

    seat_more_candidates(seats[0].session, manager, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Candidats (7)" in text(response)


def test_the_seat_deliberation_shows_evidence_decisions_conditions_and_outcome(
    client, seat, president, member, exemption_request
):
    client.force_login(member)

    response = client.get(seat_url(seat))

    page = text(response)
    assert response.status_code == 200
    assert "Décisions par compétence" in page
    assert page.count('name="competency"') == 8
    assert "Entretien final" in page
    assert "Certification non obtenue." in page
    assert "Avis motivé confidentiel du référent" in page  # the jury reads the opinion
    assert "Situation confidentielle" not in page  # never the disability itself
    assert "Dispenser du critère" not in page  # only the president exempts


def test_the_president_grants_an_exemption_request(client, seat, president, exemption_request):
    client.force_login(president)

    response = client.post(
        reverse("evaluation:exempt", args=[seat.pk]),
        {"request": exemption_request.pk},
        follow=True,
    )

    assert "Critère CP3#1 : candidat dispensé." in text(response)
    assert services.exempted_keys(seat) == {"CP3#1"}


def test_a_member_cannot_grant_an_exemption(client, seat, member, exemption_request):
    client.force_login(member)

    response = client.post(
        reverse("evaluation:exempt", args=[seat.pk]), {"request": exemption_request.pk}
    )

    assert response.status_code == 403
    assert "Seul le président du jury dispense d'un critère." in text(response)
    assert services.exempted_keys(seat) == frozenset()


def test_no_exemption_is_granted_once_the_minutes_are_drawn_up(
    client, seats, president, exemption_request
):
    ready_for_minutes(seats, president)
    services.draft_minutes(session=seats[0].session, actor=president)
    client.force_login(president)

    response = client.post(
        reverse("evaluation:exempt", args=[seats[0].pk]),
        {"request": exemption_request.pk},
        follow=True,
    )

    assert "Procès-verbal établi" in text(response)
    assert services.exempted_keys(seats[0]) == frozenset()


def test_a_decision_is_recorded_and_the_outcome_follows(client, seat, member):
    client.force_login(member)

    response = client.post(
        reverse("evaluation:decide", args=[seat.pk]),
        {"competency": "CP1", "d0-acquired": "0", "d0-justification": ""},
        follow=True,
    )

    assert "CP1 : compétence non acquise." in text(response)
    decision = CompetencyDecision.objects.get()
    assert (decision.competency_code, decision.acquired) == ("CP1", False)
    assert "Compétences : CP1, CP2, CP3, CP4." in text(response)


def test_a_decision_departing_from_the_criteria_needs_a_justification(client, seat, member):
    client.force_login(member)

    response = client.post(
        reverse("evaluation:decide", args=[seat.pk]),
        {"competency": "CP1", "d0-acquired": "1", "d0-justification": ""},
    )

    assert response.status_code == 400
    assert "justification obligatoire" in text(response)
    assert 'role="alert"' in text(response)
    assert not CompetencyDecision.objects.exists()


def test_a_decision_without_a_choice_is_invalid(client, seat, member):
    client.force_login(member)

    response = client.post(
        reverse("evaluation:decide", args=[seat.pk]), {"competency": "CP1", "d0-acquired": ""}
    )

    assert response.status_code == 400
    assert not CompetencyDecision.objects.exists()


def test_a_decision_on_an_unknown_competency_is_not_found(client, seat, member):
    client.force_login(member)

    response = client.post(
        reverse("evaluation:decide", args=[seat.pk]), {"competency": "CP99", "d0-acquired": "0"}
    )

    assert response.status_code == 404


def test_a_condition_and_the_attendance_are_recorded(client, seats, member):
    client.force_login(member)

    client.post(
        reverse("evaluation:condition", args=[seats[0].pk]),
        {"condition": FINAL_INTERVIEW, "k0-met": "1", "k0-note": "Tenu le 12/01"},
    )
    response = client.post(
        reverse("evaluation:attendance", args=[seats[1].pk]),
        {"status": "excused", "reason": ""},
    )

    assert response.status_code == 400
    assert "motif de l'absence excusée" in text(response)
    response = client.post(
        reverse("evaluation:attendance", args=[seats[1].pk]),
        {"status": "excused", "reason": "Certificat médical"},
        follow=True,
    )
    assert "Présence enregistrée : Absent excusé." in text(response)
    assert services.attendance_of(seats[1]) == "excused"
    assert services.current_conditions(seats[0])[FINAL_INTERVIEW].note == "Tenu le 12/01"
    assert 'name="competency"' not in text(response)  # no decision for an absent candidate


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evaluation:decide", {"competency": "CP1", "d0-acquired": "0"}),
        ("evaluation:condition", {"condition": FINAL_INTERVIEW, "k0-met": "1"}),
        ("evaluation:attendance", {"status": "absent"}),
    ],
)
def test_deliberation_posts_from_off_the_jury_are_not_found(
    client, seat, outsider_assessor, name, data
):
    client.force_login(outsider_assessor)

    assert client.post(reverse(name, args=[seat.pk]), data).status_code == 404
    assert not CompetencyDecision.objects.exists()
    assert not ConditionFinding.objects.exists()


# --- minutes -------------------------------------------------------------------------------


def test_the_president_draws_up_the_minutes_and_a_member_cannot(client, seats, president, member):
    session = seats[0].session
    client.force_login(president)
    page = text(client.get(reverse("evaluation:minutes", args=[session.pk])))
    assert "compétence(s) sans décision" in page
    response = client.post(reverse("evaluation:draw_up", args=[session.pk]))
    assert response.status_code == 400
    assert "Délibération incomplète" in text(response)

    ready_for_minutes(seats, president)
    client.force_login(member)
    assert client.post(reverse("evaluation:draw_up", args=[session.pk])).status_code == 403
    client.force_login(president)
    response = client.post(reverse("evaluation:draw_up", args=[session.pk]), follow=True)

    minutes = Minutes.objects.get()
    page = text(response)
    assert "Procès-verbal établi (révision 1)" in page
    assert minutes.content_hash in page
    assert "Certification obtenue" in page
    assert "En attente de 2 signature(s)." in page


def test_signing_needs_the_password_and_the_confirmation(client, seats, president, member):
    ready_for_minutes(seats, president)
    minutes = services.draft_minutes(session=seats[0].session, actor=president)
    url = reverse("evaluation:sign", args=[minutes.session_id])
    client.force_login(member)

    wrong = client.post(
        url, {"content_hash": minutes.content_hash, "password": "faux", "confirm": "on"}
    )
    unconfirmed = client.post(url, {"content_hash": minutes.content_hash, "password": PASSWORD})
    other_hash = client.post(url, {"content_hash": "0" * 64, "password": PASSWORD, "confirm": "on"})

    assert wrong.status_code == 400
    assert "Mot de passe incorrect" in text(wrong)
    assert unconfirmed.status_code == 400
    assert other_hash.status_code == 400
    assert "ne correspond pas" in text(other_hash)
    assert not MinutesSignature.objects.exists()

    response = client.post(
        url,
        {"content_hash": minutes.content_hash, "password": PASSWORD, "confirm": "on"},
        follow=True,
    )

    assert "Procès-verbal signé (révision 1)." in text(response)
    assert "Vous avez signé cette révision." in text(response)
    assert MinutesSignature.objects.get().signer == member


def test_the_minutes_page_is_not_found_off_the_jury(client, seats, outsider_assessor, manager):
    session = seats[0].session
    for who in (outsider_assessor, manager):
        client.force_login(who)
        assert client.get(reverse("evaluation:minutes", args=[session.pk])).status_code == 404
        assert client.post(reverse("evaluation:sign", args=[session.pk])).status_code == 404


def test_once_drawn_up_the_deliberation_is_frozen(client, seats, president, member):
    ready_for_minutes(seats, president)
    minutes = services.draft_minutes(session=seats[0].session, actor=president)
    sign_all(minutes, president, member)
    client.force_login(member)

    response = client.post(
        reverse("evaluation:decide", args=[seats[0].pk]),
        {"competency": "CP1", "d0-acquired": "0"},
    )
    absent = client.post(
        reverse("evaluation:decide", args=[seats[1].pk]),
        {"competency": "CP1", "d0-acquired": "0"},
    )
    page = text(client.get(seat_url(seats[0])))

    assert response.status_code == 400
    assert "Procès-verbal établi : les décisions sont arrêtées" in text(response)
    assert 'role="alert"' in text(response)
    assert absent.status_code == 400
    assert services.current_decisions(seats[0])["CP1"].acquired is True
    assert not CompetencyDecision.objects.filter(seat=seats[1]).exists()
    assert 'name="competency"' not in page
    assert "Corriger la décision" not in page
    grid_page = text(client.get(grid_url(seats[0])))
    assert "cette grille ne se modifie plus" in grid_page
    assert "disabled" in grid_page
    assert "Enregistrer la grille" not in grid_page
    response = client.post(
        grid_url(seats[0]),
        {"criterion": "1", "c1-mark": "met", "c1-comment": "", "c1-version": "0"},
        **HTMX,
    )
    assert 'role="alert"' in text(response)
    assert "Procès-verbal établi" in text(response)
    assert not CriterionMark.objects.exists()


def test_the_president_corrects_a_decision_with_a_reason_and_a_member_cannot(
    client, seats, president, member
):
    ready_for_minutes(seats, president)
    minutes = services.draft_minutes(session=seats[0].session, actor=president)
    sign_all(minutes, president, member)
    url = reverse("evaluation:correct", args=[seats[0].pk])
    data = {"competency": "CP8", "r7-acquired": "0", "r7-justification": ""}

    client.force_login(member)
    assert client.post(url, {**data, "r7-reason": "Erreur"}).status_code == 403
    client.force_login(president)
    assert "Corriger la décision" in text(client.get(seat_url(seats[0])))
    missing_reason = client.post(url, data)
    assert missing_reason.status_code == 400
    assert services.current_decisions(seats[0])["CP8"].acquired is True

    response = client.post(url, {**data, "r7-reason": "Erreur de report de CP8."}, follow=True)

    assert "CP8 : décision corrigée." in text(response)
    corrected = services.current_decisions(seats[0])["CP8"]
    assert (corrected.acquired, corrected.reason) == (False, "Erreur de report de CP8.")
    assert "Réussite partielle" in text(response)

    minutes_url = reverse("evaluation:draw_up", args=[seats[0].session.pk])
    assert client.post(minutes_url, {"reason": ""}).status_code == 400
    response = client.post(minutes_url, {"reason": "Erreur de report de CP8."}, follow=True)
    assert "Procès-verbal établi (révision 2)" in text(response)


def test_the_president_corrects_a_condition_after_the_minutes(client, seats, president, member):
    ready_for_minutes(seats, president)
    services.draft_minutes(session=seats[0].session, actor=president)
    url = reverse("evaluation:correct_condition", args=[seats[0].pk])
    data = {"condition": FINAL_INTERVIEW, "q0-met": "0", "q0-reason": "Entretien non tenu."}

    client.force_login(member)
    assert client.post(url, data).status_code == 403
    client.force_login(president)
    response = client.post(url, data, follow=True)

    assert "Entretien final : constat corrigé." in text(response)
    assert services.current_conditions(seats[0])[FINAL_INTERVIEW].met is False
    assert "Réussite partielle" in text(response)
    assert "Conditions de la certification non remplies : Entretien final." in text(response)


# --- results -------------------------------------------------------------------------------


def test_the_session_manager_reads_the_results_of_their_sessions_only(
    client, seats, president, member, manager, outsider
):
    session = seats[0].session
    url = reverse("evaluation:results", args=[session.pk])
    client.force_login(manager)
    assert "aucun résultat à publier" in text(client.get(url))

    ready_for_minutes(seats, president)
    minutes = services.draft_minutes(session=session, actor=president)
    assert "Provisoire" in text(client.get(url))
    sign_all(minutes, president, member)
    page = text(client.get(url))

    assert "signé par tous les membres du jury" in page
    assert '<abbr title="' in page
    assert ">CCP1</abbr>" in page
    assert "Certification obtenue" in page
    assert "Absent" in page
    assert reverse("credentials:minutes_pdf", args=[minutes.pk]) in page
    present, absent = seats[0].pk, seats[1].pk
    for kind in ("attestation", "results_summary"):
        assert reverse("credentials:candidate_document", args=[present, kind]) in page
        assert reverse("credentials:candidate_document", args=[absent, kind]) not in page
    assert reverse("credentials:livret", args=[seats[1].enrolment.candidate_id]) in page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 403


def test_a_candidate_sees_only_their_own_results_once_the_minutes_are_signed(
    client, seats, president, member
):
    account = UserFactory(username="martin")
    candidate = seats[0].enrolment.candidate
    candidate.user = account
    candidate.save()
    client.force_login(account)
    url = reverse("evaluation:my_results")
    assert "Résultats pas encore publiés" in text(client.get(url))

    ready_for_minutes(seats, president)
    minutes = services.draft_minutes(session=seats[0].session, actor=president)
    services.sign_minutes(minutes=minutes, actor=member, content_hash=minutes.content_hash)
    assert "Résultats pas encore publiés" in text(client.get(url))
    services.sign_minutes(minutes=minutes, actor=president, content_hash=minutes.content_hash)

    page = text(client.get(url))

    assert "Résultat : <strong>Certification obtenue</strong>" in page
    assert "Durand" not in page
    assert "Petit" not in page
    assert reverse("credentials:candidate_document", args=[seats[0].pk, "attestation"]) in page
    assert reverse("credentials:livret", args=[candidate.pk]) in page
    assert page.count("<section") == 1
    assert client.get(reverse("evaluation:home")).status_code == 200
    assert "Vous ne siégez dans aucun jury" in text(client.get(reverse("evaluation:home")))
    assert client.get(seat_url(seats[0])).status_code == 404
    assert client.get(reverse("evaluation:results", args=[minutes.session_id])).status_code == 403


def test_my_results_is_for_candidates(client, member):
    client.force_login(member)

    assert client.get(reverse("evaluation:my_results")).status_code == 403


def test_my_candidates_needs_no_more_queries_for_more_candidates(
    client, seats, member, manager, django_assert_max_num_queries
):
    services.record_mark(
        seat=seats[0],
        assessor=member,
        method_index=0,
        criterion_key="CP3#1",
        mark="met",
        expected_version=0,
    )
    client.force_login(member)
    url = reverse("evaluation:home")
    with django_assert_max_num_queries(15) as few:
        client.get(url)

    seat_more_candidates(seats[0].session, manager, 5)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Ajout4 Sam" in text(response)
    assert "1 critère(s) sur 27 appréciés" in text(response)


@pytest.mark.parametrize("more", [0, 5])
def test_the_grid_and_the_seat_deliberation_need_a_fixed_number_of_queries(
    client, seats, member, president, manager, more, django_assert_max_num_queries
):
    seat_more_candidates(seats[0].session, manager, more)
    for other in seats[1:]:
        services.record_mark(
            seat=other,
            assessor=member,
            method_index=0,
            criterion_key="CP3#1",
            mark="met",
            expected_version=0,
        )
    client.force_login(member)

    with django_assert_max_num_queries(12):
        assert client.get(grid_url(seats[0])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(seat_url(seats[0])).status_code == 200
    with django_assert_max_num_queries(15):
        response = client.get(reverse("evaluation:consolidation", args=[seats[0].pk]))
        assert response.status_code == 200


def test_the_jury_pages_ask_an_anonymous_visitor_to_sign_in(client, seat):
    for url in (
        reverse("evaluation:home"),
        grid_url(seat),
        seat_url(seat),
        reverse("evaluation:my_results"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/comptes/connexion/" in response["Location"]
