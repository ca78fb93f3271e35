"""Payloads of the jury API: seats, grids and marks, consolidation, decisions, conditions,
attendance and exemptions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from attesta.api.evaluation.scope import display_name
from attesta.candidates.models import Candidate
from attesta.evaluation import rules, services
from attesta.evaluation.enums import Attendance
from attesta.evaluation.models import (
    AttendanceRecord,
    CompetencyDecision,
    ConditionFinding,
    CriterionExemption,
    CriterionMark,
)
from attesta.exams.models import ExamSession, SessionCandidate

# What an assessor may enter; « exempted » comes from the president's exemption only.
ASSESSOR_MARK_CHOICES = [(m.value, m.label) for m in rules.Mark if m in rules.ASSESSOR_MARKS]


# --- serializers: seats --------------------------------------------------------------------


class SeatSessionSerializer(serializers.ModelSerializer[ExamSession]):
    scope = serializers.CharField(
        read_only=True, help_text="« certification » ou le code du bloc évalué."
    )

    class Meta:
        model = ExamSession
        fields = ["id", "label", "starts_on", "ends_on", "scope"]
        read_only_fields = fields


class SeatCandidateSerializer(serializers.ModelSerializer[Candidate]):
    class Meta:
        model = Candidate
        fields = ["id", "last_name", "first_names"]
        read_only_fields = fields


class SeatSerializer(serializers.ModelSerializer[SessionCandidate]):
    session = SeatSessionSerializer(read_only=True)
    candidate = SeatCandidateSerializer(source="enrolment.candidate", read_only=True)

    class Meta:
        model = SessionCandidate
        fields = ["id", "session", "candidate", "enrolment", "position"]
        read_only_fields = fields


class MethodSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()


class BlockOutcomeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    extension = serializers.BooleanField()
    obtained = serializers.BooleanField()
    source = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.source
        allow_null=True, help_text="session, capitalised, …"
    )
    missing = serializers.ListField(child=serializers.CharField(), required=False)
    unmet_conditions = serializers.ListField(child=serializers.CharField(), required=False)


class OutcomeSerializer(serializers.Serializer[Any]):
    obtained = serializers.BooleanField()
    partial = serializers.BooleanField()  # type: ignore[assignment]  # named like Serializer.partial
    blocks = BlockOutcomeSerializer(many=True)
    unmet_conditions = serializers.ListField(child=serializers.CharField())


class ResultSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(help_text="Révision signée du procès-verbal.")
    attendance = serializers.CharField()
    result_label = serializers.CharField()
    certification_obtained = serializers.BooleanField()
    partial = serializers.BooleanField()  # type: ignore[assignment]  # named like Serializer.partial
    blocks = BlockOutcomeSerializer(many=True)


class SeatDetailSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    session = SeatSessionSerializer()
    candidate = SeatCandidateSerializer()
    enrolment = serializers.IntegerField()
    position = serializers.IntegerField()
    methods = MethodSerializer(many=True, read_only=True)
    frozen = serializers.BooleanField(read_only=True, help_text="Procès-verbal établi.")
    attendance = serializers.ChoiceField(
        choices=Attendance.choices,
        read_only=True,
        allow_null=True,
        help_text="Jury et responsables seulement.",
    )
    outcome = OutcomeSerializer(
        read_only=True,
        allow_null=True,
        help_text="Résultat en cours de délibération : jury et responsables seulement.",
    )
    result = ResultSerializer(
        read_only=True,
        allow_null=True,
        help_text="Résultat du procès-verbal signé par tout le jury ; vide avant.",
    )


def outcome_data(outcome: rules.Outcome) -> dict[str, Any]:
    return {
        "obtained": outcome.obtained,
        "partial": outcome.partial,
        "blocks": [
            {
                "code": b.code,
                "title": b.title,
                "extension": b.extension,
                "obtained": b.obtained,
                "source": b.source.value if b.source is not None else None,
                "missing": list(b.missing),
                "unmet_conditions": list(b.unmet_conditions),
            }
            for b in outcome.blocks
        ],
        "unmet_conditions": list(outcome.unmet_conditions),
    }


def signed_result(seat: SessionCandidate) -> dict[str, Any] | None:
    """The seat's result as the minutes every jury member signed state it (None before)."""
    minutes = services.signed_minutes(seat.session)
    if minutes is None:
        return None
    entry = rules.minutes_entry(minutes.content, seat.pk)
    if entry is None:
        return None
    return {
        "revision": minutes.revision,
        "attendance": entry["attendance"],
        "result_label": entry["result_label"],
        "certification_obtained": entry["certification_obtained"],
        "partial": entry["partial"],
        "blocks": entry["blocks"],
    }


# --- serializers: grids and marks ----------------------------------------------------------


class GridCriterionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Identifiant stable : « CP3#2 ».")
    code = serializers.CharField(allow_null=True)
    group = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    exempted = serializers.BooleanField(help_text="Candidat dispensé (sans motif).")
    mark = serializers.ChoiceField(choices=[m.value for m in rules.Mark], allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(
        help_text="Version enregistrée de votre appréciation (0 : pas encore notée) ; "
        "à renvoyer dans expected_version."
    )


class GridCompetencySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    block = serializers.CharField()
    criteria = GridCriterionSerializer(many=True)


class GridTransversalSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    through = serializers.ListField(
        child=serializers.CharField(), help_text="Évaluée à travers ces compétences."
    )


class GridSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    method_index = serializers.IntegerField()
    method_title = serializers.CharField()
    method_kind = serializers.CharField()
    frozen = serializers.BooleanField()
    competencies = GridCompetencySerializer(many=True)
    transversals = GridTransversalSerializer(many=True)


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    method_index = serializers.IntegerField()
    criterion_key = serializers.CharField()
    original_name = serializers.CharField()
    file_kind = serializers.CharField(help_text="pdf, png ou jpeg (lu dans le fichier).")
    size = serializers.IntegerField(help_text="Octets.")
    sha256 = serializers.CharField()
    assessor = serializers.CharField()
    attached_at = serializers.DateTimeField()
    download = serializers.CharField(help_text="Adresse du fichier (jury de la session).")


class AttachmentInputSerializer(serializers.Serializer[Any]):
    method_index = serializers.IntegerField(min_value=0)
    criterion_key = serializers.CharField(max_length=60)
    file = serializers.FileField(help_text="PDF, PNG ou JPEG, 5 Mo au plus.")


class MarkInputSerializer(serializers.Serializer[Any]):
    method_index = serializers.IntegerField(min_value=0)
    criterion_key = serializers.CharField(max_length=60)
    mark = serializers.ChoiceField(choices=ASSESSOR_MARK_CHOICES)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)
    expected_version = serializers.IntegerField(
        min_value=0,
        help_text="La version que votre grille affichait (0 pour un critère pas encore noté). "
        "Une autre version enregistrée entre-temps : 409, rien n'est écrit.",
    )


class MarkSerializer(serializers.ModelSerializer[CriterionMark]):
    class Meta:
        model = CriterionMark
        fields = ["id", "method_index", "criterion_key", "mark", "comment", "version", "updated_at"]
        read_only_fields = fields


class ConsolidatedMarkSerializer(serializers.Serializer[Any]):
    assessor = serializers.CharField()
    mark = serializers.CharField(allow_null=True)


class ConsolidatedCriterionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    agreement = serializers.ChoiceField(choices=[a.value for a in rules.Agreement])
    agreed_mark = serializers.CharField(allow_null=True)
    marks = ConsolidatedMarkSerializer(many=True)


class MethodConsolidationSerializer(serializers.Serializer[Any]):
    method_index = serializers.IntegerField()
    method_title = serializers.CharField()
    criteria = ConsolidatedCriterionSerializer(many=True)
    disagreements = serializers.ListField(child=serializers.CharField())
    incomplete = serializers.ListField(child=serializers.CharField())


class EvidenceSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    mark = serializers.CharField(allow_null=True, help_text="Vide : non établi.")


class ConsolidationSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    methods = MethodConsolidationSerializer(many=True)
    evidence = EvidenceSerializer(many=True)


# --- serializers: decisions, conditions, attendance, exemptions -----------------------------


class DecisionSerializer(serializers.ModelSerializer[CompetencyDecision]):
    decided_by = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField()

    class Meta:
        model = CompetencyDecision
        fields = [
            "id",
            "seat",
            "competency_code",
            "acquired",
            "justification",
            "decided_by",
            "decided_at",
            "supersedes",
            "superseded_by",
            "reason",
        ]
        read_only_fields = fields

    def get_decided_by(self, obj: CompetencyDecision) -> str:
        return display_name(obj.decided_by)

    def get_superseded_by(self, obj: CompetencyDecision) -> int | None:
        later = getattr(obj, "superseded_by", None)
        return later.pk if later is not None else None


class RequiredCompetencySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    criteria_support_acquired = serializers.BooleanField(
        help_text="Les critères établis soutiennent « acquise » ; une décision qui s'en écarte "
        "exige une justification."
    )
    decision = DecisionSerializer(allow_null=True)


class SeatDecisionsSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    frozen = serializers.BooleanField()
    competencies = RequiredCompetencySerializer(many=True)
    history = DecisionSerializer(
        many=True, help_text="Toutes les décisions, corrections comprises."
    )


class DecideSerializer(serializers.Serializer[Any]):
    competency_code = serializers.CharField(max_length=30)
    acquired = serializers.BooleanField()
    justification = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=4000
    )


class CorrectDecisionSerializer(serializers.Serializer[Any]):
    acquired = serializers.BooleanField()
    justification = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=4000
    )
    reason = serializers.CharField(
        allow_blank=True, max_length=4000, help_text="Motif de la correction (obligatoire)."
    )


class FindingSerializer(serializers.ModelSerializer[ConditionFinding]):
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ConditionFinding
        fields = [
            "id",
            "seat",
            "condition_key",
            "met",
            "note",
            "decided_by",
            "decided_at",
            "supersedes",
            "reason",
        ]
        read_only_fields = fields

    def get_decided_by(self, obj: ConditionFinding) -> str:
        return display_name(obj.decided_by)


class ConditionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    scope = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # named like Field.label
    detail = serializers.CharField(allow_blank=True)
    finding = FindingSerializer(allow_null=True)


class SeatConditionsSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    conditions = ConditionSerializer(many=True)
    history = FindingSerializer(many=True)


class RecordConditionSerializer(serializers.Serializer[Any]):
    condition_key = serializers.CharField(max_length=300)
    met = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


class CorrectConditionSerializer(serializers.Serializer[Any]):
    met = serializers.BooleanField()
    reason = serializers.CharField(
        allow_blank=True, max_length=4000, help_text="Motif de la correction (obligatoire)."
    )


class AttendanceRecordSerializer(serializers.ModelSerializer[AttendanceRecord]):
    # "attendance", not the model's "status": one enum name in the schema (enrolments have
    # their own "status").
    attendance = serializers.ChoiceField(
        source="status", choices=Attendance.choices, read_only=True
    )
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = AttendanceRecord
        fields = ["id", "attendance", "reason", "recorded_by", "recorded_at"]
        read_only_fields = fields

    def get_recorded_by(self, obj: AttendanceRecord) -> str:
        return display_name(obj.recorded_by)


class SeatAttendanceSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    attendance = serializers.ChoiceField(
        choices=Attendance.choices, help_text="Sans relevé : présent."
    )
    history = AttendanceRecordSerializer(many=True)


class RecordAttendanceSerializer(serializers.Serializer[Any]):
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    reason = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=2000,
        help_text="Obligatoire pour une absence excusée.",
    )


class ExemptionSerializer(serializers.ModelSerializer[CriterionExemption]):
    decided_by = serializers.SerializerMethodField()
    referent_opinion = serializers.CharField(
        read_only=True,
        required=False,
        help_text="Avis du référent handicap : président du jury (et administrateur du centre) "
        "seulement, absent sinon.",
    )

    class Meta:
        model = CriterionExemption
        fields = ["id", "criterion_key", "decided_by", "decided_at", "referent_opinion"]
        read_only_fields = fields

    def get_decided_by(self, obj: CriterionExemption) -> str:
        return display_name(obj.decided_by)

    def to_representation(self, instance: CriterionExemption) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("disclose"):
            data.pop("referent_opinion", None)
        return data


class ExemptionRequestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    criterion_key = serializers.CharField()
    criterion = serializers.CharField()
    opinion = serializers.CharField(help_text="Avis motivé du référent handicap.")
    requested_at = serializers.DateTimeField()


class SeatExemptionsSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField()
    exemptions = ExemptionSerializer(many=True)
    requests = ExemptionRequestSerializer(
        many=True,
        required=False,
        help_text="Demandes du référent handicap : président du jury (et administrateur du "
        "centre) seulement.",
    )


class ExemptSerializer(serializers.Serializer[Any]):
    criterion_key = serializers.CharField(max_length=60)
    request = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="La demande d'exemption du candidat, dont l'avis du référent est repris.",
    )
