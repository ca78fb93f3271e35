"""From an exam of the référentiel to each candidate's phases: pure, no Django.

:func:`phases_for`: each method of the exam, in the référentiel's
order, is cut into parts when its organisation text describes them and they add up to its
duration (« Partie 1 : mise en situation écrite (durée : 4 h) », « Pendant 30 minutes, il se
prépare… »). The needs come from the text and the method's kind:
- a written part (« écrit ») or a written case study without the jury is supervised and
  without the jury; it is taken by all the candidates together when the text says so (« en
  même temps »), and needs a printer when they print their work (« imprim »);
- a preparation (« prépare », « préparation », « prend connaissance ») is supervised and
  without the jury when the text or the jury notes say the jury is not required for it
  (« en dehors de la présence du jury », or its duration among the notes' exceptions), and
  with the jury when the text says « en présence du jury »;
- any other part is with the jury; a part on the phone (« téléphone ») needs a phone and a
  laptop;
- consecutive parts with the same needs are merged; the parts of one « Partie » (or of a
  method without parts) follow each other without a gap (preparation, then role play);
- extra time applies to each part (rounded up to the minute).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from attesta.candidates.rules import Measures, extra_minutes, extra_percent
from attesta.referentiels.importers.canonical import AssessmentMethod, Exam, MethodKind

PHONE = ("téléphone", "ordinateur portable")
PRINTER = "imprimante"

Key = tuple[str, int]


@dataclass(frozen=True)
class Phase:
    """One part of a method of the exam, for one candidate, with its duration and needs."""

    candidate: str  # a stable key: enrolment id, candidate number…
    index: int  # order of the phase in the candidate's sequence
    title: str
    kind: MethodKind
    minutes: int  # extra time included
    base_minutes: int
    needs_jury: bool
    needs_supervision: bool
    needs_room: bool = True
    equipment: str = ""  # adapted equipment from the accommodations
    together: str = ""  # phases with the same key start together (all candidates at once)
    follows_previous: bool = False  # starts when the candidate's previous phase ends
    uses: tuple[str, ...] = ()  # shared equipment needed (phone, printer…)

    def describe(self) -> str:
        return f"{self.candidate} — {self.title}"

    @property
    def key(self) -> Key:
        return (self.candidate, self.index)


@dataclass(frozen=True)
class Part:
    """A part of a method, as the organisation text describes it."""

    minutes: int
    jury: bool
    supervision: bool
    label: str = ""
    together: bool = False
    uses: tuple[str, ...] = ()
    chained: bool = False  # follows the previous part without a gap


_PART = re.compile(r"Partie\s*\d+\s*:\s*([^()]*?)\s*\(durée\s*:\s*([^)]*)\)", re.IGNORECASE)
_WHILE = re.compile(r"Pendant\s+(\d+)\s+minutes", re.IGNORECASE)
_HOURS = re.compile(r"(\d+)\s*h(?:\s*(\d+))?|(\d+)\s*min", re.IGNORECASE)


def method_parts(method: AssessmentMethod, exam: Exam) -> list[Part]:
    """The method cut into parts with their needs (see the module docstring); the method
    as parsed, in one part, when its text does not describe parts adding up to it."""
    whole = [_whole(method, exam)]
    text = method.organisation or ""
    duration = method.duration_minutes or 0
    chunks: list[tuple[str, str, int | None]] = []  # (part label, text, minutes)
    parts = list(_PART.finditer(text))
    if parts:
        for i, match in enumerate(parts):
            body = text[match.end() : parts[i + 1].start() if i + 1 < len(parts) else None]
            chunks.append((match.group(1), body, _duration(match.group(2))))
    else:
        chunks.append(("", text, None))
    found: list[Part] = []
    notes = exam.jury.notes if exam.jury else ""
    collective = bool(re.search(r"en même temps|tous les candidats", text, re.IGNORECASE))
    printing = PRINTER[:6] in text.lower()
    for label, body, minutes in chunks:
        if "écrit" in label.lower():
            if minutes is None:
                return whole
            found.append(
                Part(
                    minutes,
                    jury=False,
                    supervision=True,
                    label="partie écrite",
                    together=collective,
                    uses=(PRINTER,) if printing else (),
                )
            )
            continue
        segments = _segments(body, notes)
        if minutes is not None and sum(s.minutes for s in segments) != minutes:
            if not segments and minutes:
                segments = [Part(minutes, jury=method.requires_jury, supervision=False)]
            else:
                return whole
        found += [dataclasses.replace(s, chained=n > 0) for n, s in enumerate(segments)]
    if not found or sum(p.minutes for p in found) != duration:
        return whole
    merged: list[Part] = []
    for part in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and part.chained
            and (last.jury, last.supervision, last.uses, last.together)
            == (part.jury, part.supervision, part.uses, part.together)
        ):
            merged[-1] = dataclasses.replace(last, minutes=last.minutes + part.minutes)
        else:
            merged.append(part)
    return merged if len(merged) > 1 else whole


def _whole(method: AssessmentMethod, exam: Exam) -> Part:
    written = method.kind == MethodKind.WRITTEN_CASE_STUDY and not method.requires_jury
    text = method.organisation or ""
    return Part(
        method.duration_minutes or 0,
        jury=method.requires_jury,
        supervision=method.requires_supervision or written,
        together=written and bool(re.search(r"en même temps|tous les candidats", text, re.I)),
    )


def _segments(body: str, notes: str) -> list[Part]:
    found = []
    matches = list(_WHILE.finditer(body))
    for i, match in enumerate(matches):
        text = body[match.end() : matches[i + 1].start() if i + 1 < len(matches) else None]
        minutes = int(match.group(1))
        lowered = text.lower()
        preparing = bool(re.search(r"prépar|prend connaissance", lowered))
        absent = "en dehors de la présence du jury" in lowered or (
            "n'est pas requise" in notes and f"{minutes} minutes" in notes
        )
        if preparing and absent and "en présence du jury" not in lowered:
            found.append(Part(minutes, jury=False, supervision=True, label="préparation"))
        elif "téléphon" in lowered:
            found.append(
                Part(minutes, jury=True, supervision=False, label="au téléphone", uses=PHONE)
            )
        else:
            found.append(Part(minutes, jury=True, supervision=False, label="avec le jury"))
    return found


def _duration(text: str) -> int | None:
    match = _HOURS.search(text)
    if match is None:
        return None
    if match.group(3):
        return int(match.group(3))
    return int(match.group(1)) * 60 + int(match.group(2) or 0)


def phases_for(
    candidate: str,
    exam: Exam,
    measures: Measures | None,
    *,
    first_index: int = 0,
    split: bool = True,
) -> list[Phase]:
    """The candidate's phases for an exam, in the order of its methods, extra time applied.

    Each method is cut into its parts (:func:`method_parts`) unless ``split`` is false (one
    phase per method, needs as parsed). ``first_index`` numbers the phases after those of
    another exam (a candidate targeting several blocks). Raises ``ValueError`` when a
    method has no duration: it cannot be timetabled. A method of no minutes (a dossier
    handed in before the session, as the centre may say) has no phase."""
    if not exam.methods:
        raise ValueError(f"L'épreuve « {exam.scope} » ne compte aucune modalité à planifier.")
    measures = measures or Measures()
    phases: list[Phase] = []
    for method in exam.methods:
        base = method.duration_minutes
        if base == 0:  # handed in before the session (a dossier): nothing to timetable
            continue
        if base is None or base < 0:
            raise ValueError(
                f"Durée inconnue pour la modalité « {method.title} » de l'épreuve "
                f"« {exam.scope} » : impossible de la planifier."
            )
        percent = extra_percent(measures, method.kind)
        if split:
            parts = method_parts(method, exam)
        else:
            parts = [Part(base, method.requires_jury, method.requires_supervision)]
        for part in parts:
            title = method.title if len(parts) == 1 else f"{method.title} – {part.label}"
            phases.append(
                Phase(
                    candidate=candidate,
                    index=first_index + len(phases),
                    title=title,
                    kind=method.kind,
                    minutes=part.minutes + extra_minutes(part.minutes, percent),
                    base_minutes=part.minutes,
                    needs_jury=part.jury,
                    needs_supervision=part.supervision,
                    equipment=measures.adapted_equipment,
                    together=f"{exam.scope} · {title}" if part.together else "",
                    follows_previous=part.chained,
                    uses=part.uses,
                )
            )
    return phases
