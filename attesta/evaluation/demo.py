"""Demo data: a past session per certification, assessed, deliberated and signed, through the
same services as the pages. Five candidates each: one obtains everything, one a partial
success, one with accommodations (and, on certifier référentiels, a criterion exemption on
the disability referent's opinion), one excused, one whose decision the president corrects
after signature."""

from __future__ import annotations

from datetime import date, timedelta

from attesta.accounts.models import Organisation, User
from attesta.candidates import services as candidate_services
from attesta.candidates.models import Candidate, Enrolment
from attesta.evaluation import rules, services
from attesta.exams import services as exam_services
from attesta.exams.management.commands.setup_demo import complete_file
from attesta.exams.models import ExamSession, SessionCandidate
from attesta.referentiels.importers.canonical import Kind
from attesta.referentiels.models import CertificationVersion, Criterion
from attesta.referentiels.services import load_referentiel

PEOPLE = [
    ("Ophélie", "Garnier"),
    ("Karim", "Benali"),
    ("Élodie", "Fontaine"),
    ("Bastien", "Roux"),
    ("Nadia", "Lemoine"),
]
# The partially successful candidate of the first certification is the demo candidate account.
DEMO_CANDIDATE = ("Camille", "Candidate")
FIRST_DAY = date(2026, 6, 8)
UNASSESSED = "Évaluée au vu du dossier professionnel et de l'entretien avec le jury."


def deliberated_session(
    *,
    centre: Organisation,
    version: CertificationVersion,
    index: int,
    manager: User,
    president: User,
    member: User,
    referent: User,
    candidate_account: User | None = None,
) -> ExamSession:
    referentiel = load_referentiel(version)
    title_exam = referentiel.exam_for(rules.CERTIFICATION)
    block = None
    if title_exam is None or not title_exam.methods:
        block = version.blocks.order_by("position").first()
    day = FIRST_DAY + timedelta(days=7 * index)
    session = exam_services.create_session(
        organisation=centre,
        actor=manager,
        version=version,
        block=block,
        label=f"{referentiel.acronym or referentiel.title} – session de juin 2026",
        starts_on=day,
        ends_on=day,
        address="Centre d'examen démo\n12 rue des Examens\n69000 Lyon",
        rooms=["Salle A", "Salle B"],
    )
    enrolments = []
    for n, (first, last) in enumerate(PEOPLE):
        if n == 1 and candidate_account is not None:
            first, last = DEMO_CANDIDATE
        candidate = candidate_services.register_candidate(
            organisation=centre,
            actor=manager,
            last_name=last,
            first_names=first,
            birth_date=date(1980 + 4 * n + index, 1 + (n * 5 + index) % 12, 3 + n),
            birth_place="Villeurbanne",
            email=f"passe{index}{n}@demo.attesta.invalid",
        )
        if n == 1 and candidate_account is not None:
            Candidate.objects.filter(pk=candidate.pk).update(user=candidate_account)
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate, version=version, path="training", actor=manager
        )
        if n == 2:
            _accommodate(enrolment, referentiel.kind, session, referent)
        complete_file(enrolment, manager)
        enrolments.append(Enrolment.objects.get(pk=enrolment.pk))
    seats = exam_services.seat_candidates(session=session, enrolments=enrolments, actor=manager)
    exam_services.add_jury_member(session=session, user=president, actor=manager, is_president=True)
    exam_services.add_jury_member(session=session, user=member, actor=manager)
    for seat in seats:
        seat.enrolment.change_status(
            "convened", actor=manager, note="Convocation remise (données de démonstration)"
        )
    _excused(seats[3], manager)
    _exempt(seats[2], president)
    for n, seat in enumerate(seats):
        if n == 3:
            continue
        failing = _failing_competency(seat) if n == 1 else None
        _mark(seat, (president, member), failing)
        _decide(seat, president, member, wrong_first=n == 4)
    minutes = services.draft_minutes(session=session, actor=president)
    for who in (member, president):
        services.sign_minutes(minutes=minutes, actor=who, content_hash=minutes.content_hash)
    _correct_after_signature(seats[4], president)
    revised = services.draft_minutes(
        session=session,
        actor=president,
        reason="Erreur de report d'une décision relevée à la relecture du procès-verbal.",
    )
    for who in (member, president):
        services.sign_minutes(minutes=revised, actor=who, content_hash=revised.content_hash)
    return session


def _accommodate(enrolment: Enrolment, kind: str, session: ExamSession, referent: User) -> None:
    accommodation = candidate_services.record_accommodation(
        enrolment=enrolment,
        actor=referent,
        disability="Trouble moteur du membre supérieur (exemple de démonstration)",
        extra_time_percent=33,
        written_exchange=False,
    )
    if kind != Kind.CERTIFIER.value:
        return
    criterion = _exempted_criterion(session)
    candidate_services.request_exemption(
        accommodation=accommodation,
        criterion=criterion,
        opinion=(
            "La manipulation prolongée d'un support papier est impossible ; le critère ne "
            "remet pas en cause la capacité professionnelle globale."
        ),
        keeps_overall_capacity=True,
        not_needed_in_future_practice=True,
        actor=referent,
    )


def _exempted_criterion(session: ExamSession) -> Criterion:
    """The last criterion of the first competency the session's grids assess."""
    referentiel = load_referentiel(session.version)
    grid = rules.grid_for(referentiel, scope=session.scope, method_index=0)
    code = grid.competencies[0].code
    found = (
        Criterion.objects.filter(competency__version=session.version, competency__code=code)
        .order_by("-position", "-id")
        .first()
    )
    if found is None:
        raise ValueError(f"{code} : aucun critère dans {session.version}.")
    return found


def _exempt(seat: SessionCandidate, president: User) -> None:
    accommodation = getattr(seat.enrolment, "accommodation", None)
    request = accommodation.exemption_requests.first() if accommodation is not None else None
    if request is None:
        return
    key = services.criterion_key_of(request.criterion)
    assert key is not None
    services.exempt_criterion(
        seat=seat,
        criterion_key=key,
        actor=president,
        request=request,
    )


def _excused(seat: SessionCandidate, manager: User) -> None:
    services.record_attendance(
        seat=seat, status="excused", reason="Arrêt maladie, justificatif fourni.", actor=manager
    )


def _failing_competency(seat: SessionCandidate) -> str:
    """The last competency the session's grids assess."""
    referentiel = load_referentiel(seat.session.version)
    exam = referentiel.exam_for(seat.session.scope)
    assert exam is not None
    assessed = [code for method in exam.methods for code in method.competencies]
    return assessed[-1]


def _mark(seat: SessionCandidate, assessors: tuple[User, User], failing: str | None) -> None:
    referentiel = load_referentiel(seat.session.version)
    exam = referentiel.exam_for(seat.session.scope)
    assert exam is not None
    exempted = services.exempted_keys(seat)
    for index in range(len(exam.methods)):
        grid = rules.grid_for(referentiel, scope=seat.session.scope, method_index=index)
        for competency in grid.competencies:
            for criterion in competency.criteria:
                if criterion.key in exempted:
                    continue
                mark = "not_met" if competency.code == failing else "met"
                for assessor in assessors:
                    services.record_mark(
                        seat=seat,
                        assessor=assessor,
                        method_index=index,
                        criterion_key=criterion.key,
                        mark=mark,
                        comment="Observé en situation." if mark == "met" else "Non démontré.",
                        expected_version=0,
                    )


def _decide(seat: SessionCandidate, president: User, member: User, *, wrong_first: bool) -> None:
    evidence = services.evidence_of(seat)
    for n, competency in enumerate(services.required_competencies(seat)):
        acquired = rules.criteria_support_acquired(competency, evidence)
        justification = ""
        assessed = any(evidence.get(k) is not None for k in rules.criterion_keys(competency))
        if not assessed:
            acquired, justification = True, UNASSESSED
        if wrong_first and n == 0:
            acquired, justification = False, "Prestation jugée insuffisante à l'oral."
        services.decide_competency(
            seat=seat,
            competency_code=competency.code,
            acquired=acquired,
            justification=justification,
            actor=president if n % 2 == 0 else member,
        )
    for condition in services.seat_conditions(seat):
        services.record_condition(seat=seat, condition_key=condition.key, met=True, actor=president)


def _correct_after_signature(seat: SessionCandidate, president: User) -> None:
    first = services.required_competencies(seat)[0].code
    decision = services.current_decisions(seat)[first]
    services.correct_decision(
        decision=decision,
        acquired=True,
        reason="La grille consolidée montre tous les critères satisfaits : erreur de report.",
        actor=president,
    )
