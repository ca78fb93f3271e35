"""End-to-end journeys, one per seed certification (``pytest -m journey``): from the
candidate's registration to signed minutes and documents, through the web pages only, as
each person would click: the session manager registers, enrols, completes the file, plans
the session and convenes; the disability referent records accommodations; the assessors fill
their grids; the jury deliberates, the president draws up the minutes, every member signs;
documents are downloaded and checked on the public verification page; the candidate reads
their results.

Along the way: a partial success completed in a second session (Conseiller commercial), a
correction after signature (Négociateur technico-commercial), a criterion exemption (Attaché
commercial), an excused candidate (Développement commercial)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from attesta.candidates import services as candidate_services
from attesta.candidates.models import Candidate, CapitalisedBlock, Enrolment
from attesta.evaluation import rules
from attesta.evaluation import services as evaluation
from attesta.exams.models import ExamSession, SessionCandidate
from attesta.referentiels.services import load_referentiel, store_referentiel
from tests.candidates.files import pdf
from tests.conftest import parsed_seed
from tests.factories import UserFactory

pytestmark = [pytest.mark.journey, pytest.mark.django_db]

PASSWORD = "mot-de-passe-du-parcours"
DISABILITY = "Trouble moteur (parcours de test)"
OPINION = "Le critère ne remet pas en cause la capacité globale."


# --- the people ----------------------------------------------------------------------------


@dataclass
class People:
    manager: Client
    referent: Client
    president: Client
    member: Client
    users: dict[str, Any] = field(default_factory=dict)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(organisation):
    users = {
        "manager": UserFactory(
            username="gestion", organisation=organisation, role="session_manager"
        ),
        "referent": UserFactory(
            username="referente", organisation=organisation, role="disability_referent"
        ),
        "president": UserFactory(
            username="presidente", organisation=organisation, assessor=True, first_name="Paule"
        ),
        "member": UserFactory(
            username="assesseur", organisation=organisation, assessor=True, first_name="Marc"
        ),
    }
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return People(
        manager=_client(users["manager"]),
        referent=_client(users["referent"]),
        president=_client(users["president"]),
        member=_client(users["member"]),
        users=users,
    )


def published(seed: str, organisation: Any, manager: Any) -> Any:
    return store_referentiel(
        referentiel=parsed_seed(seed), organisation=organisation, actor=manager, publish=True
    )


def ok(response: Any) -> str:
    """The page after a form: it worked (redirected to a 200 page) and shows no refusal."""
    assert response.status_code == 200, response.content.decode()[:2000]
    html: str = response.content.decode()
    assert 'class="message error"' not in html, html
    return html


# --- the session manager -------------------------------------------------------------------


def register_and_enrol(people: People, version: Any, last_name: str, n: int) -> Enrolment:
    html = ok(
        people.manager.post(
            reverse("candidates:create"),
            {
                "last_name": last_name,
                "first_names": "Alex",
                "birth_date": f"199{n}-03-0{n + 1}",
                "birth_place": "Lyon",
                "birth_country": "",
                "email": f"{last_name.lower()}@example.invalid",
                "phone": "",
            },
            follow=True,
        )
    )
    assert f"Candidat enregistré : {last_name} Alex." in html
    candidate = Candidate.objects.get(last_name=last_name)
    ok(
        people.manager.post(
            reverse("candidates:enrol", args=[candidate.pk]),
            {"version": version.pk, "path": "training"},
            follow=True,
        )
    )
    return Enrolment.objects.get(candidate=candidate)


def complete_file(people: People, enrolment: Enrolment) -> None:
    """What the eligibility page says is missing, then the review: eligible."""
    page = people.manager.get(reverse("candidates:enrolment", args=[enrolment.pk]))
    assert page.status_code == 200
    requirements = candidate_services.requirements_of(enrolment)
    if requirements.company_period is not None:
        ok(
            people.manager.post(
                reverse("candidates:period", args=[enrolment.pk]),
                {"company_period_done": requirements.company_period.amount},
                follow=True,
            )
        )
        upload(people, enrolment, "company_period_proof", "", "attestation.pdf", 1)
    for production in requirements.productions:
        for copy in range(production.quantity):
            upload(
                people,
                enrolment,
                "production",
                production.title,
                f"production-{copy}.pdf",
                production.min_units or 1,
            )
    html = ok(people.manager.post(reverse("candidates:review", args=[enrolment.pk]), follow=True))
    assert "Dossier recevable." in html
    enrolment.refresh_from_db()
    assert enrolment.status == "eligible"


def upload(people: People, enrolment: Enrolment, kind: str, title: str, name: str, pages: int):
    ok(
        people.manager.post(
            reverse("candidates:document", args=[enrolment.pk]),
            {"kind": kind, "production_title": title, "file": SimpleUploadedFile(name, pdf(pages))},
            follow=True,
        )
    )


def plan_session(
    people: People, version: Any, label: str, day: dt.date, enrolments: list[Enrolment]
) -> ExamSession:
    """Create the session (the title when its exam has methods, else the first block), seat
    the candidates, compose the jury, plan and convene when the RE gives durations."""
    referentiel = load_referentiel(version)
    title = referentiel.exam_for(rules.CERTIFICATION)
    block = None
    if title is None or not title.methods:
        block = version.blocks.order_by("position").first()
    data = {
        "version": version.pk,
        "block": block.pk if block is not None else "",
        "label": label,
        "starts_on": day.isoformat(),
        "ends_on": (day + dt.timedelta(days=2)).isoformat(),
        "address": "Centre d'examen\n69000 Lyon",
        "rooms": "Salle 1, Salle 2",
    }
    ok(people.manager.post(reverse("exams:create"), data, follow=True))
    session = ExamSession.objects.get(label=label)
    ok(
        people.manager.post(
            reverse("exams:seat", args=[session.pk]),
            {"enrolments": [e.pk for e in enrolments]},
            follow=True,
        )
    )
    exam = referentiel.exam_for(session.scope)
    profiles = list(exam.jury.profiles) if exam and exam.jury else []
    for n, who in enumerate(("president", "member")):
        ok(
            people.manager.post(
                reverse("exams:jury", args=[session.pk]),
                {
                    "user": people.users[who].pk,
                    "panel": "Jury 1",
                    "profile": profiles[n % len(profiles)] if profiles else "Professionnel",
                    "is_president": "on" if who == "president" else "",
                },
                follow=True,
            )
        )
    if all(m.duration_minutes for m in exam.methods):
        ok(people.manager.post(reverse("exams:timetable", args=[session.pk]), follow=True))
        ok(people.manager.post(reverse("exams:convocations", args=[session.pk]), follow=True))
        assert {s.enrolment.status for s in session.candidates.select_related("enrolment")} == {
            "convened"
        }
    return session


# --- the jury ------------------------------------------------------------------------------


def fill_grids(people: People, seat: SessionCandidate, *, failing: str = "") -> None:
    """Both assessors mark every criterion of every method without JavaScript: met, except
    the criteria of ``failing``; exempted criteria are shown « Dispensé » and not marked."""
    referentiel = load_referentiel(seat.session.version)
    exam = referentiel.exam_for(seat.session.scope)
    assert exam is not None
    for index in range(len(exam.methods)):
        grid = rules.grid_for(referentiel, scope=seat.session.scope, method_index=index)
        if not grid.competencies:  # the final interview: no grid, a condition
            continue
        url = reverse("evaluation:grid", kwargs={"pk": seat.pk, "method": index})
        exempted = evaluation.exempted_keys(seat)
        for who in ("president", "member"):
            client = getattr(people, who)
            page = client.get(url)
            assert page.status_code == 200
            data = {}
            row = 0
            for competency in grid.competencies:
                for criterion in competency.criteria:
                    row += 1
                    if criterion.key in exempted:
                        continue
                    mark = "not_met" if competency.code == failing else "met"
                    data[f"c{row}-mark"] = mark
                    data[f"c{row}-comment"] = "Observé." if mark == "met" else "Non démontré."
                    data[f"c{row}-version"] = "0"
            html = ok(client.post(url, data, follow=True))
            assert "critère(s) enregistré(s)" in html
            if exempted & set(grid.criterion_keys()):
                assert "Dispensé" in html
                assert OPINION not in html
                assert DISABILITY not in html


def deliberate(
    people: People, seat: SessionCandidate, *, not_acquired: frozenset[str] = frozenset()
) -> None:
    """The jury decides every competency the page lists (acquired unless named; a decision
    the criteria do not support is justified) and records every condition as met."""
    url = reverse("evaluation:seat", args=[seat.pk])
    assert people.president.get(url).status_code == 200
    evidence = evaluation.evidence_of(seat)
    for n, competency in enumerate(evaluation.required_competencies(seat)):
        acquired = competency.code not in not_acquired
        departs = rules.departs_from_criteria(competency, evidence, acquired=acquired)
        client = people.president if n % 2 == 0 else people.member
        ok(
            client.post(
                reverse("evaluation:decide", args=[seat.pk]),
                {
                    "competency": competency.code,
                    f"d{n}-acquired": "1" if acquired else "0",
                    f"d{n}-justification": "Au vu du dossier et de l'entretien." if departs else "",
                },
                follow=True,
            )
        )
    for n, condition in enumerate(evaluation.seat_conditions(seat)):
        ok(
            people.president.post(
                reverse("evaluation:condition", args=[seat.pk]),
                {"condition": condition.key, f"k{n}-met": "1", f"k{n}-note": ""},
                follow=True,
            )
        )


def draw_up_and_sign(people: People, session: ExamSession, reason: str = "") -> str:
    """The president draws up the minutes; each member reads them, re-enters their password
    and signs the hash shown. Returns the hash."""
    url = reverse("evaluation:minutes", args=[session.pk])
    ok(
        people.president.post(
            reverse("evaluation:draw_up", args=[session.pk]), {"reason": reason}, follow=True
        )
    )
    html = people.member.get(url).content.decode()
    shown = re.search(r'name="content_hash" value="([0-9a-f]{64})"', html)
    assert shown is not None, html
    content_hash = shown.group(1)
    assert content_hash in html.replace(f'value="{content_hash}"', "")  # printed for reading
    refused = people.member.post(
        reverse("evaluation:sign", args=[session.pk]),
        {"content_hash": content_hash, "password": "pas le bon", "confirm": "on"},
    )
    assert refused.status_code == 400
    for client in (people.member, people.president):
        ok(
            client.post(
                reverse("evaluation:sign", args=[session.pk]),
                {"content_hash": content_hash, "password": PASSWORD, "confirm": "on"},
                follow=True,
            )
        )
    return content_hash


# --- documents -----------------------------------------------------------------------------


def pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def check_documents(people: People, session: ExamSession, seat: SessionCandidate) -> None:
    """The minutes and the candidate's result documents, each with its verification code,
    which the public page (no login) confirms."""
    minutes = evaluation.signed_minutes(session)
    assert minutes is not None
    text = pdf_text(people.manager.get(reverse("credentials:minutes_pdf", args=[minutes.pk])))
    assert str(seat.enrolment.candidate.last_name) in text
    assert minutes.content_hash[:16] in text.replace("\n", "")
    entry = next(c for c in minutes.content["candidates"] if c["seat_id"] == seat.pk)
    obtained = [b["code"] for b in entry["blocks"] if b["obtained"] and b["source"] == "session"]
    titre = minutes.content["certification"]["kind"] == "titre_professionnel"
    kinds = ["attestation"] if obtained else []
    kinds += (
        ["results_summary"]
        if titre
        else (["certificate"] if entry["certification_obtained"] else [])
    )
    assert kinds, "the journey expects at least one result document"
    for kind in kinds:
        response = people.manager.get(
            reverse("credentials:candidate_document", args=[seat.pk, kind])
        )
        code = response["X-Verification-Code"]
        text = pdf_text(response)
        assert code in text
        for block in obtained:
            assert block in text
        public = Client().get(reverse("credentials:verify_code", args=[code]))
        assert public.status_code == 200
        page = public.content.decode()
        assert seat.enrolment.candidate.last_name in page
        assert "Dispens" not in page
        assert "handicap" not in page.lower()


def candidate_sees_results(seat: SessionCandidate, expected: str) -> str:
    candidate = Candidate.objects.get(pk=seat.enrolment.candidate_id)
    account = candidate.user
    if account is None:
        account = UserFactory(
            username=f"candidat-{candidate.pk}",
            organisation=candidate.organisation,
            role="candidate",
        )
        Candidate.objects.filter(pk=candidate.pk).update(user=account)
    client = _client(account)
    html = client.get(reverse("evaluation:my_results")).content.decode()
    assert expected in html
    livret = pdf_text(client.get(reverse("credentials:livret", args=[candidate.pk])))
    assert candidate.last_name in livret
    return livret


# --- the journeys --------------------------------------------------------------------------


def test_conseiller_commercial_partial_success_completed_in_a_second_session(organisation, people):
    version = published("cc", organisation, people.users["manager"])
    enrolments = [
        register_and_enrol(people, version, name, n) for n, name in enumerate(["Martin", "Durand"])
    ]
    for enrolment in enrolments:
        complete_file(people, enrolment)
    session = plan_session(people, version, "CC – mars 2027", dt.date(2027, 3, 2), enrolments)
    martin, durand = session.candidates.order_by("position")
    fill_grids(people, martin, failing="CP8")
    fill_grids(people, durand)
    deliberate(people, martin, not_acquired=frozenset({"CP8"}))
    deliberate(people, durand)
    draw_up_and_sign(people, session)

    results = people.manager.get(reverse("evaluation:results", args=[session.pk])).content
    assert "Réussite partielle" in results.decode()
    assert "Certification obtenue" in results.decode()
    check_documents(people, session, martin)
    check_documents(people, session, durand)
    livret = candidate_sees_results(martin, "Réussite partielle")
    assert "CCP1" in livret
    assert "CCP2" not in livret
    martin.enrolment.refresh_from_db()
    assert martin.enrolment.status == "eligible"

    # the remaining block, in the next title session: only CCP2 and the final interview
    later = plan_session(people, version, "CC – juin 2027", dt.date(2027, 6, 8), [martin.enrolment])
    [again] = later.candidates.all()
    assert {c.code for c in evaluation.required_competencies(again)} == {
        "CP5",
        "CP6",
        "CP7",
        "CP8",
    }
    fill_grids(people, again)
    deliberate(people, again)
    draw_up_and_sign(people, later)

    held = CapitalisedBlock.objects.filter(enrolment=martin.enrolment)
    assert sorted(held.values_list("block__code", flat=True)) == ["CCP1", "CCP2"]
    check_documents(people, later, again)
    livret = candidate_sees_results(again, "Certification obtenue")
    assert "CCP2" in livret


def test_negociateur_technico_commercial_correction_after_signature(organisation, people):
    version = published("ntc", organisation, people.users["manager"])
    enrolment = register_and_enrol(people, version, "Petit", 1)
    complete_file(people, enrolment)
    session = plan_session(people, version, "NTC – avril 2027", dt.date(2027, 4, 6), [enrolment])
    [seat] = session.candidates.all()
    fill_grids(people, seat)
    deliberate(people, seat)
    first_hash = draw_up_and_sign(people, session)

    # a member cannot change a signed decision; the president corrects it with a reason
    code = evaluation.required_competencies(seat)[0].code
    n = 0
    refused = people.member.post(
        reverse("evaluation:correct", args=[seat.pk]),
        {
            "competency": code,
            f"r{n}-acquired": "0",
            f"r{n}-justification": "x",
            f"r{n}-reason": "x",
        },
    )
    assert refused.status_code == 403
    late = people.member.post(
        reverse("evaluation:decide", args=[seat.pk]),
        {"competency": code, f"d{n}-acquired": "0", f"d{n}-justification": "x"},
    )
    assert late.status_code == 400
    ok(
        people.president.post(
            reverse("evaluation:correct", args=[seat.pk]),
            {
                "competency": code,
                f"r{n}-acquired": "0",
                f"r{n}-justification": "Le jury revient sur sa décision au vu de la vidéo.",
                f"r{n}-reason": "Erreur de report constatée à la relecture.",
            },
            follow=True,
        )
    )
    second_hash = draw_up_and_sign(people, session, reason="Erreur de report sur " + code)

    assert second_hash != first_hash
    signed = evaluation.signed_minutes(session)
    assert signed is not None
    assert signed.revision == 2
    assert signed.content["candidates"][0]["result_label"] == "Réussite partielle"
    block = load_referentiel(version).block_of(code)
    assert block is not None
    held = CapitalisedBlock.objects.filter(enrolment=enrolment).values_list(
        "block__code", flat=True
    )
    assert block.code not in held
    check_documents(people, session, seat)
    candidate_sees_results(seat, "Réussite partielle")


def test_attache_commercial_block_with_a_criterion_exemption(organisation, people):
    version = published("attache", organisation, people.users["manager"])
    enrolment = register_and_enrol(people, version, "Leroy", 2)
    ok(
        people.referent.post(
            reverse("candidates:accommodation", args=[enrolment.pk]),
            {
                "disability": DISABILITY,
                "extra_time_percent": 33,
                "adapted_equipment": "",
                "assistant": "",
                "postponed_to": "",
            },
            follow=True,
        )
    )
    referentiel = load_referentiel(version)
    first = referentiel.blocks[0].competencies[0]
    criterion = version.blocks.order_by("position")[0].competencies.get(code=first.code)
    last = criterion.criteria.order_by("-position").first()
    ok(
        people.referent.post(
            reverse("candidates:exemption", args=[enrolment.pk]),
            {
                "criterion": last.pk,
                "opinion": OPINION,
                "keeps_overall_capacity": "on",
                "not_needed_in_future_practice": "on",
            },
            follow=True,
        )
    )
    complete_file(people, enrolment)
    session = plan_session(people, version, "Attaché – mai 2027", dt.date(2027, 5, 4), [enrolment])
    [seat] = session.candidates.all()
    request = enrolment.accommodation.exemption_requests.get()
    ok(
        people.president.post(
            reverse("evaluation:exempt", args=[seat.pk]), {"request": request.pk}, follow=True
        )
    )
    deliberation = people.president.get(reverse("evaluation:seat", args=[seat.pk]))
    assert OPINION in deliberation.content.decode()  # the president decides on it
    key = rules.criterion_key(first.code, len(first.criteria))
    assert evaluation.exempted_keys(seat) == {key}
    assessor_page = people.member.get(
        reverse("evaluation:grid", kwargs={"pk": seat.pk, "method": 0})
    )
    assert OPINION not in assessor_page.content.decode()
    assert DISABILITY not in assessor_page.content.decode()
    fill_grids(people, seat)
    deliberate(people, seat)
    draw_up_and_sign(people, session)

    signed = evaluation.signed_minutes(session)
    assert signed is not None
    assert signed.content["candidates"][0]["exempted_criteria"] == [key]
    assert signed.content["candidates"][0]["result_label"] == "BC01 obtenu"
    check_documents(people, session, seat)
    candidate_sees_results(seat, "BC01")


def test_developpement_commercial_block_with_an_excused_candidate(organisation, people):
    version = published("devco", organisation, people.users["manager"])
    enrolments = [
        register_and_enrol(people, version, name, n) for n, name in enumerate(["Moreau", "Simon"])
    ]
    for enrolment in enrolments:
        complete_file(people, enrolment)
    session = plan_session(people, version, "Devco – mai 2027", dt.date(2027, 5, 11), enrolments)
    present, excused = session.candidates.order_by("position")
    ok(
        people.member.post(
            reverse("evaluation:attendance", args=[excused.pk]),
            {"status": "excused", "reason": "Hospitalisation, bulletin reçu."},
            follow=True,
        )
    )
    fill_grids(people, present)
    deliberate(people, present)
    draw_up_and_sign(people, session)

    signed = evaluation.signed_minutes(session)
    assert signed is not None
    assert [c["result_label"] for c in signed.content["candidates"]] == [
        "BC01 obtenu",
        "Absent excusé",
    ]
    check_documents(people, session, present)
    candidate_sees_results(present, "BC01")


def test_charge_du_developpement_commercial_block_to_signed_minutes(organisation, people):
    version = published("charge", organisation, people.users["manager"])
    enrolment = register_and_enrol(people, version, "Laurent", 3)
    complete_file(people, enrolment)
    session = plan_session(people, version, "CDC – juin 2027", dt.date(2027, 6, 1), [enrolment])
    [seat] = session.candidates.all()
    fill_grids(people, seat)
    deliberate(people, seat)
    draw_up_and_sign(people, session)

    signed = evaluation.signed_minutes(session)
    assert signed is not None
    assert signed.content["candidates"][0]["result_label"] == "BC01 obtenu"
    held = CapitalisedBlock.objects.filter(enrolment=enrolment)
    assert list(held.values_list("block__code", flat=True)) == ["BC01"]
    check_documents(people, session, seat)
    candidate_sees_results(seat, "BC01")
