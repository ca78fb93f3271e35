"""Evidence an assessor attaches to a criterion: PDF, PNG or JPEG of 5 Mo at most, kept as
attached, for the jury of the session only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attesta.core.models import AuditEvent
from attesta.evaluation import rules, services
from attesta.evaluation.models import MarkEvidence
from tests.candidates.files import pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "kind"), [(b"%PDF-1.7\n...", "pdf"), (PNG, "png"), (JPEG, "jpeg")]
)
def test_evidence_kind_is_read_from_the_first_bytes(data, kind):
    assert rules.evidence_kind(data, "photo.bin") == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "photo.pdf : fichier vide."),
        (b"PK\x03\x04 docx", "photo.pdf : format non accepté (formats acceptés : PDF, image PNG"),
        (b"%PDF-" + b"0" * rules.EVIDENCE_MAX_BYTES, "photo.pdf : 5.0 Mo, au-delà de la limite"),
    ],
)
def test_evidence_refusals_say_what_and_which_file(data, message):
    with pytest.raises(rules.EvidenceError, match="^" + message.replace("(", r"\(")):
        rules.evidence_kind(data, "photo.pdf")


def test_an_assessor_attaches_a_file_to_a_criterion_of_their_grid(seat, member):
    evidence = services.attach_evidence(
        seat=seat,
        assessor=member,
        method_index=0,
        criterion_key="CP3#1",
        data=pdf(1),
        filename="../../fiche-client.pdf",
    )

    assert evidence.original_name == "fiche-client.pdf"
    assert evidence.file_kind == "pdf"
    assert evidence.file.read() == pdf(1)
    assert len(evidence.sha256) == 64
    assert AuditEvent.objects.filter(action="evaluation.evidence_attached").count() == 1
    with pytest.raises(ValueError, match="non modifiable"):
        evidence.save()


def test_evidence_follows_the_rules_of_marks(seat, member, colleague, president):
    with pytest.raises(services.EvaluationError, match="ne siège pas"):
        services.attach_evidence(
            seat=seat,
            assessor=colleague,
            method_index=0,
            criterion_key="CP3#1",
            data=pdf(1),
            filename="a.pdf",
        )
    with pytest.raises(services.EvaluationError, match="absent de la grille"):
        services.attach_evidence(
            seat=seat,
            assessor=member,
            method_index=0,
            criterion_key="CP8#1",
            data=pdf(1),
            filename="a.pdf",
        )
    with pytest.raises(services.EvaluationError, match="format non accepté"):
        services.attach_evidence(
            seat=seat,
            assessor=member,
            method_index=0,
            criterion_key="CP3#1",
            data=b"GIF89a",
            filename="a.gif",
        )
    services.exempt_criterion(seat=seat, criterion_key="CP3#2", actor=president)
    with pytest.raises(services.EvaluationError, match="dispensé"):
        services.attach_evidence(
            seat=seat,
            assessor=member,
            method_index=0,
            criterion_key="CP3#2",
            data=pdf(1),
            filename="a.pdf",
        )
    assert not MarkEvidence.objects.exists()


def test_the_grid_page_attaches_and_lists_evidence_for_the_jury_only(
    client, seat, member, president, colleague, manager
):
    client.force_login(member)
    url = reverse("evaluation:attach_evidence", kwargs={"pk": seat.pk, "method": 0})
    page = client.get(reverse("evaluation:grid", kwargs={"pk": seat.pk, "method": 0}))
    assert "Joindre une pièce à un critère" in page.content.decode()

    response = client.post(
        url, {"criterion": "CP3#1", "file": SimpleUploadedFile("photo.png", PNG)}, follow=True
    )
    html = response.content.decode()
    assert "Pièce jointe : photo.png." in html
    evidence = MarkEvidence.objects.get()
    link = reverse("evaluation:evidence_file", args=[evidence.pk])
    assert link in html

    refused = client.post(
        url, {"criterion": "CP3#1", "file": SimpleUploadedFile("notes.txt", b"texte")}, follow=True
    )
    assert "notes.txt : format non accepté" in refused.content.decode()
    assert MarkEvidence.objects.count() == 1

    client.force_login(president)
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    for outsider in (colleague, manager):
        client.force_login(outsider)
        assert client.get(link).status_code == 404
        assert client.post(url, {"criterion": "CP3#1"}).status_code == 404
