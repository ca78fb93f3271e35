"""Permission matrix of the jury pages and documents: role × page → status, on a session
whose minutes are signed. Nobody changes a signed decision: only the president's correction
(a new decision that supersedes it) goes through."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from attesta.candidates.models import Candidate
from attesta.evaluation import services
from attesta.evaluation.models import CompetencyDecision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CCP = ["CP1", "CP2", "CP3", "CP4", "CP5", "CP6", "CP7", "CP8"]
FINAL_INTERVIEW = "method:certification:3"
PERSONAS = [
    "administrator",
    "manager",
    "outsider",
    "president",
    "member",
    "other_assessor",
    "referent",
    "candidate",
    "other_candidate",
    "anonymous",
]


@pytest.fixture
def signed(seat, president, member):
    """The CC session deliberated (everyone obtains the title) and signed by both members."""
    seats = list(seat.session.candidates.order_by("position"))
    for s in seats:
        for code in CCP:
            services.decide_competency(
                seat=s, competency_code=code, acquired=True, justification="Oui.", actor=president
            )
        services.record_condition(seat=s, condition_key=FINAL_INTERVIEW, met=True, actor=president)
    minutes = services.draft_minutes(session=seat.session, actor=president)
    for who in (president, member):
        services.sign_minutes(minutes=minutes, actor=who, content_hash=minutes.content_hash)
    return seats, minutes


@pytest.fixture
def clients(signed, organisation, manager, outsider, president, member, assessors):
    seats, _ = signed
    own, other = (Candidate.objects.get(pk=s.enrolment.candidate_id) for s in seats[:2])
    users = {
        "administrator": UserFactory(administrator=True, organisation=organisation),
        "manager": manager,
        "outsider": outsider,
        "president": president,
        "member": member,
        "other_assessor": assessors[2],
        "referent": UserFactory(referent=True, organisation=organisation),
        "candidate": UserFactory(organisation=organisation),
        "other_candidate": UserFactory(organisation=organisation),
    }
    Candidate.objects.filter(pk=own.pk).update(user=users["candidate"])
    Candidate.objects.filter(pk=other.pk).update(user=users["other_candidate"])
    out = {"anonymous": Client()}
    for name, user in users.items():
        out[name] = Client()
        out[name].force_login(user)
    return out


def pages(seats, minutes):
    """(name, url, expected status per persona: jury / managers / candidate own / others)."""
    seat = seats[0]
    session = seat.session
    candidate = seat.enrolment.candidate_id
    jury = {"president": 200, "member": 200}
    managers = {"administrator": 200, "manager": 200}
    return [
        # everyone signed in gets the page, listing only the sessions they sit on
        (
            "mes candidats",
            reverse("evaluation:home"),
            {p: 200 for p in PERSONAS if p != "anonymous"},
        ),
        ("grille", reverse("evaluation:grid", kwargs={"pk": seat.pk, "method": 0}), jury),
        ("consolidation", reverse("evaluation:consolidation", args=[seat.pk]), jury),
        ("délibération candidat", reverse("evaluation:seat", args=[seat.pk]), jury),
        ("délibération session", reverse("evaluation:deliberation", args=[session.pk]), jury),
        ("procès-verbal", reverse("evaluation:minutes", args=[session.pk]), jury),
        ("résultats", reverse("evaluation:results", args=[session.pk]), managers),
        (
            "mes résultats",
            reverse("evaluation:my_results"),
            {"candidate": 200, "other_candidate": 200},
        ),
        (
            "PV en PDF",
            reverse("credentials:minutes_pdf", args=[minutes.pk]),
            {**jury, **managers},
        ),
        (
            "grille remplie en PDF",
            reverse("credentials:grid_pdf", args=[session.pk, seat.pk, 0, "filled"]),
            {**jury, **managers},
        ),
        (
            "attestation",
            reverse("credentials:candidate_document", args=[seat.pk, "attestation"]),
            {**managers, "candidate": 200},
        ),
        (
            "relevé de résultats",
            reverse("credentials:candidate_document", args=[seat.pk, "results_summary"]),
            {**managers, "candidate": 200},
        ),
        ("livret", reverse("credentials:livret", args=[candidate]), {**managers, "candidate": 200}),
        ("vérification", reverse("credentials:verify"), dict.fromkeys(PERSONAS, 200)),
    ]


def test_every_role_sees_exactly_its_pages(signed, clients):
    seats, minutes = signed
    found = {}
    wanted = {}
    for name, url, allowed in pages(seats, minutes):
        for persona in PERSONAS:
            status = clients[persona].get(url).status_code
            found[(name, persona)] = status
            if persona in allowed:
                wanted[(name, persona)] = allowed[persona]
            elif persona == "anonymous":
                wanted[(name, persona)] = 302  # to the login page
            else:
                wanted[(name, persona)] = status if status in (403, 404) else "403 or 404"
    assert found == wanted


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_changes_a_signed_decision(signed, clients, persona):
    seats, _ = signed
    seat = seats[0]
    before = list(CompetencyDecision.objects.order_by("id").values_list("id", "acquired"))
    client = clients[persona]

    decide = client.post(
        reverse("evaluation:decide", args=[seat.pk]),
        {"competency": "CP1", "d0-acquired": "0", "d0-justification": "Non."},
    )
    assert decide.status_code in (302, 400, 403, 404)
    if decide.status_code == 302:
        assert persona == "anonymous"
        assert "/comptes/" in decide["Location"]
    after = list(CompetencyDecision.objects.order_by("id").values_list("id", "acquired"))
    assert after == before

    correct = client.post(
        reverse("evaluation:correct", args=[seat.pk]),
        {"competency": "CP1", "r0-acquired": "0", "r0-justification": "Non.", "r0-reason": "x"},
    )
    if persona == "president":
        assert correct.status_code == 302
        assert CompetencyDecision.objects.count() == len(before) + 1
        old = CompetencyDecision.objects.get(pk=before[0][0])
        assert old.acquired is True  # kept as it was, superseded
        assert old.superseded_by.acquired is False
    else:
        assert correct.status_code in (302, 403, 404)
        assert CompetencyDecision.objects.count() == len(before)


def test_an_assessor_off_the_jury_lists_none_of_its_candidates(signed, clients):
    seats, _ = signed
    name = seats[0].enrolment.candidate.last_name
    assert name in clients["member"].get(reverse("evaluation:home")).content.decode()
    for persona in ("other_assessor", "manager", "candidate"):
        assert name not in clients[persona].get(reverse("evaluation:home")).content.decode()
