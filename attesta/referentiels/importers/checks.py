"""Format-independent checks on a parsed référentiel, producing import warnings."""

from __future__ import annotations

from attesta.referentiels.importers.canonical import ImportWarning, Referentiel, WarningCode


def check(referentiel: Referentiel) -> list[ImportWarning]:
    return [*_unassessed_competencies(referentiel), *_durations(referentiel)]


def _unassessed_competencies(referentiel: Referentiel) -> list[ImportWarning]:
    warnings = []
    for block in referentiel.blocks:
        exam = referentiel.exam_for(block.code)
        if exam is None or not exam.methods:
            continue
        assessed = {code for method in exam.methods for code in method.competencies}
        for competency in block.competencies:
            if competency.code not in assessed:
                warnings.append(
                    ImportWarning(
                        code=WarningCode.UNASSESSED_COMPETENCY,
                        message=(
                            f"{block.code} : la compétence {competency.code} « {competency.title} »"
                            " n'est évaluée par aucune modalité de l'épreuve du bloc"
                        ),
                        line=referentiel.source_lines.get(f"exam:{block.code}"),
                    )
                )
    return warnings


def _durations(referentiel: Referentiel) -> list[ImportWarning]:
    warnings = []
    for exam in referentiel.exams:
        durations = [m.duration_minutes for m in exam.methods]
        if exam.total_minutes is None or not durations or None in durations:
            continue
        total = sum(d for d in durations if d is not None)
        if total != exam.total_minutes:
            warnings.append(
                ImportWarning(
                    code=WarningCode.DURATION_MISMATCH,
                    message=(
                        f"épreuve « {exam.scope} » : les durées des modalités font {total} min,"
                        f" la durée totale indiquée est {exam.total_minutes} min"
                    ),
                    line=referentiel.source_lines.get(f"exam:{exam.scope}"),
                )
            )
    return warnings
