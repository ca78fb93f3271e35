"""Jury operations (``assessment``: marks, exemptions, decisions, conditions, attendance,
outcome; ``deliberation``: minutes and signatures). Callers use ``services.name``."""

from attesta.evaluation.services.assessment import (
    EvaluationError as EvaluationError,
)
from attesta.evaluation.services.assessment import (
    StaleMark as StaleMark,
)
from attesta.evaluation.services.assessment import (
    attach_evidence as attach_evidence,
)
from attesta.evaluation.services.assessment import (
    attendance_of as attendance_of,
)
from attesta.evaluation.services.assessment import (
    consolidation as consolidation,
)
from attesta.evaluation.services.assessment import (
    correct_condition as correct_condition,
)
from attesta.evaluation.services.assessment import (
    correct_decision as correct_decision,
)
from attesta.evaluation.services.assessment import (
    criterion_key_of as criterion_key_of,
)
from attesta.evaluation.services.assessment import (
    current_conditions as current_conditions,
)
from attesta.evaluation.services.assessment import (
    current_decisions as current_decisions,
)
from attesta.evaluation.services.assessment import (
    decide_competency as decide_competency,
)
from attesta.evaluation.services.assessment import (
    evidence_of as evidence_of,
)
from attesta.evaluation.services.assessment import (
    exempt_criterion as exempt_criterion,
)
from attesta.evaluation.services.assessment import (
    exempted_keys as exempted_keys,
)
from attesta.evaluation.services.assessment import (
    is_frozen as is_frozen,
)
from attesta.evaluation.services.assessment import (
    latest_attendance as latest_attendance,
)
from attesta.evaluation.services.assessment import (
    latest_minutes as latest_minutes,
)
from attesta.evaluation.services.assessment import (
    marks_of as marks_of,
)
from attesta.evaluation.services.assessment import (
    outcome_of as outcome_of,
)
from attesta.evaluation.services.assessment import (
    record_attendance as record_attendance,
)
from attesta.evaluation.services.assessment import (
    record_condition as record_condition,
)
from attesta.evaluation.services.assessment import (
    record_mark as record_mark,
)
from attesta.evaluation.services.assessment import (
    required_competencies as required_competencies,
)
from attesta.evaluation.services.assessment import (
    seat_conditions as seat_conditions,
)
from attesta.evaluation.services.assessment import (
    seat_outcome as seat_outcome,
)
from attesta.evaluation.services.deliberation import (
    content_digest as content_digest,
)
from attesta.evaluation.services.deliberation import (
    deliberation_problems as deliberation_problems,
)
from attesta.evaluation.services.deliberation import (
    draft_minutes as draft_minutes,
)
from attesta.evaluation.services.deliberation import (
    minutes_content as minutes_content,
)
from attesta.evaluation.services.deliberation import (
    minutes_signed as minutes_signed,
)
from attesta.evaluation.services.deliberation import (
    pending_signers as pending_signers,
)
from attesta.evaluation.services.deliberation import (
    sign_minutes as sign_minutes,
)
from attesta.evaluation.services.deliberation import (
    signed_minutes as signed_minutes,
)
