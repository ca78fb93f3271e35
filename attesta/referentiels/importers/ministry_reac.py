"""The REAC part of a Ministry titre professionnel: activity types, competencies, codes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from attesta.referentiels.importers.canonical import (
    Block,
    CodeLabel,
    Competency,
    Criterion,
    ImportWarning,
    TransversalCompetency,
    WarningCode,
)
from attesta.referentiels.importers.ministry_doc import Document, Line, item_text
from attesta.referentiels.importers.ministry_text import TitleMatcher, clean, fold, match_key

_FICHE_END = frozenset(
    {"competency", "activity", "transversal_sheet", "glossary", "reproduction", "re_start"}
)
_COMPETENCY_PARTS = frozenset({"description", "context", "criteria", "skills"})
_SAVOIR = re.compile(r"^(?:connaissances?|notions?|comprehension)\b")
_NSF = re.compile(r"^(?P<code>\d{3}\s?[a-z]?)\s*(?:-+|:|–)\s*(?P<label>.+?)\s*-?$", re.IGNORECASE)
_ROME = re.compile(r"^(?P<code>[A-Z]\d{4})\b\s*[-:–]?\s*(?P<label>.*)$")
_LEVEL = re.compile(r"\bniveau\s*:?\s*(\d)\b")
# « Activité type d'extension » (or « (CCS) »), as a label before or after a title.
_EXTENSION = re.compile(
    r"\(\s*(?:activit[ée]s?\s+types?\s+d['’]\s*extension|ccs)\s*\)"
    r"|\bactivit[ée]s?\s+types?\s+d['’]\s*extension\b\s*(?:n\s*°?\s*\d+\s*)?[:\-–]?",
    re.IGNORECASE,
)


def _without_extension_label(title: str) -> tuple[str, bool]:
    """The title without an « activité type d'extension » label, and whether it had one."""
    if not _EXTENSION.search(title):
        return title, False
    return clean(_EXTENSION.sub(" ", title)).strip(" -–:"), True


@dataclass
class Reac:
    title: str = ""
    level: int | None = None
    blocks: list[Block] = field(default_factory=list)
    transversals: list[TransversalCompetency] = field(default_factory=list)
    nsf: list[CodeLabel] = field(default_factory=list)
    rome: list[CodeLabel] = field(default_factory=list)
    old_activities: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    warnings: list[ImportWarning] = field(default_factory=list)


def parse_reac(doc: Document, start: int, stop: int, extensions: Sequence[str] = ()) -> Reac:
    """Read the REAC in ``doc.lines[start:stop]`` (stop = start of the RE).

    ``extensions`` are the titles of the CCS that the RE evaluates: the activity types
    bearing them are extension activity types (blocks ``CCS1``…) even when the REAC does
    not say so.
    """
    reac = Reac()
    head = doc.lines[start]
    reac.title = _reac_title(doc, start, stop)
    competencies = _competencies(doc, start, stop, reac)
    activities = _activities(doc, start, stop)
    synoptic = _synoptic(doc, start, stop)
    reac.blocks = _blocks(doc, competencies, activities, synoptic, reac, head, extensions)
    reac.transversals = _transversals(doc, start, stop)
    if not reac.transversals:
        reac.transversals = _transversal_list(doc, start, stop)
    reac.level = _level(doc, start, stop)
    reac.nsf, reac.rome = _codes(doc, start, stop)
    reac.old_activities = _old_activities(doc, start, stop)
    return reac


def _reac_title(doc: Document, start: int, stop: int) -> str:
    for line in doc.prose(start + 1, min(stop, start + 12)):
        if line.is_table or line.heading:
            continue
        key = line.key
        if key.startswith(("du titre professionnel", "niveau", "site")):
            continue
        return line.text
    return ""


# --- competency fiches ---------------------------------------------------------------


def _competencies(doc: Document, start: int, stop: int, reac: Reac) -> dict[int, Competency]:
    found: dict[int, Competency] = {}
    for index in doc.find_all("competency", start, stop):
        head = doc.lines[index]
        number = head.number or 0
        if number in found:
            raise doc.source.fail(
                f"REAC : deux fiches « compétence professionnelle n° {number} »", line=head.no
            )
        end = doc.next_heading(index + 1, _FICHE_END, stop)
        found[number] = _competency(doc, index, end)
        reac.lines[f"competency:CP{number}"] = head.no
    if not found:
        raise doc.source.fail(
            "REAC sans « FICHE COMPÉTENCE PROFESSIONNELLE » : structure inattendue ou document"
            " tronqué",
            line=doc.line_no(start),
        )
    return found


def _competency(doc: Document, index: int, end: int) -> Competency:
    head = doc.lines[index]
    title_at = doc.first_text(index + 1, end)
    if title_at is None or doc.lines[title_at].heading or doc.lines[title_at].is_table:
        raise doc.source.fail(
            f"REAC : intitulé absent après « {head.text} »", line=head.no, field="intitulé"
        )
    title = doc.lines[title_at].text
    parts: dict[str, list[Line]] = {kind: [] for kind in _COMPETENCY_PARTS}
    current = "description"
    for line in doc.prose(title_at + 1, end):
        if line.heading in _COMPETENCY_PARTS:
            current = line.heading
            continue
        parts[current].append(line)
    criteria = [Criterion(text=t) for t in (item_text(line) for line in parts["criteria"]) if t]
    if not criteria:
        where = parts["skills"][0].no if parts["skills"] else head.no
        raise doc.source.fail(
            f"REAC : la compétence n° {head.number} « {title} » n'a pas de critères de"
            " performance (document tronqué ou structure inattendue)",
            line=where,
            field="critères de performance",
        )
    savoir_faire: list[str] = []
    savoirs: list[str] = []
    for line in parts["skills"]:
        text = item_text(line)
        if not text:
            continue
        if _SAVOIR.match(fold(text)):
            savoirs.append(text)
        else:
            savoir_faire.append(text)
    return Competency(
        code=f"CP{head.number}",
        title=title,
        description="\n".join(line.text for line in parts["description"]),
        context="\n".join(line.text for line in parts["context"]),
        criteria=criteria,
        savoir_faire=savoir_faire,
        savoirs=savoirs,
    )


# --- activity types ------------------------------------------------------------------


@dataclass
class _Activity:
    number: int
    title: str
    line: int
    description: str
    competency_titles: list[tuple[str, int]]
    extension: bool = False


def _activities(doc: Document, start: int, stop: int) -> dict[int, _Activity]:
    found: dict[int, _Activity] = {}
    for index in doc.find_all("activity", start, stop):
        head = doc.lines[index]
        end = doc.next_heading(index + 1, _FICHE_END, stop)
        title_at = doc.first_text(index + 1, end)
        if title_at is None or doc.lines[title_at].heading:
            raise doc.source.fail(
                f"REAC : intitulé absent après « {head.text} »", line=head.no, field="intitulé"
            )
        description: list[str] = []
        titles: list[tuple[str, int]] = []
        current = ""
        for line in doc.prose(title_at + 1, end):
            if line.heading:
                current = line.heading
                continue
            if current == "at_description":
                description.append(line.text)
            elif current == "at_cp_list":
                titles.append((item_text(line), line.no))
        title, labelled = _without_extension_label(doc.lines[title_at].text)
        number = head.number or 0
        if number in found and head.rest:
            number = max(found) + 1  # extension fiches numbered on their own
        found[number] = _Activity(
            number,
            title,
            head.no,
            "\n".join(description),
            titles,
            extension=labelled or bool(head.rest),
        )
    return found


@dataclass
class _SynopticRow:
    activity: int
    activity_title: str
    number: int  # competency fiche number
    line: int
    extension: bool


def _synoptic(doc: Document, start: int, stop: int) -> list[_SynopticRow]:
    """The rows of the synoptic table: activity type n° and title, competency n°."""
    index = doc.find("synoptic", start, stop)
    if index is None:
        return []
    rows: list[_SynopticRow] = []
    activity, activity_title, extension, pending = 0, "", False, False
    for line in doc.lines[index + 1 : stop]:
        if line.blank:
            continue
        if not line.is_row:
            break
        cells = [clean(c) for c in line.cells] + ["", "", "", ""]
        if fold(cells[0]).startswith(("n° fiche", "n fiche", "no fiche")):
            continue
        title, labelled = _without_extension_label(cells[1])
        pending = pending or labelled
        if cells[0].isdigit() or (pending and title and not cells[0]):
            activity = int(cells[0]) if cells[0].isdigit() else max(activity, 0) + 1
            activity_title, extension, pending = title, pending, False
            for row in rows:  # the title may end on the following rows
                if row.activity == activity:
                    row.activity_title = activity_title
        elif title and not cells[0] and activity:
            activity_title = f"{activity_title} {title}"  # title continued on this row
            for row in rows:
                if row.activity == activity:
                    row.activity_title = activity_title
        if cells[2].isdigit() and activity:
            rows.append(_SynopticRow(activity, activity_title, int(cells[2]), line.no, extension))
    return rows


def _blocks(
    doc: Document,
    competencies: dict[int, Competency],
    activities: dict[int, _Activity],
    synoptic: list[_SynopticRow],
    reac: Reac,
    head: Line,
    extensions: Sequence[str],
) -> list[Block]:
    members: dict[int, list[int]] = {}
    titles: dict[int, tuple[str, int]] = {}
    extended: set[int] = set()
    for row in synoptic:
        titles.setdefault(row.activity, (row.activity_title, row.line))
        if row.extension:
            extended.add(row.activity)
        if row.number not in competencies:
            raise doc.source.fail(
                f"REAC : le tableau synoptique cite la compétence n° {row.number} sans fiche"
                " « compétence professionnelle » correspondante",
                line=row.line,
            )
        members.setdefault(row.activity, []).append(row.number)
    activities = _renumbered(activities, titles)
    for number, activity in activities.items():
        titles[number] = (activity.title, activity.line)
        if activity.extension:
            extended.add(number)
    if not synoptic:
        matcher = TitleMatcher([(str(n), c.title) for n, c in competencies.items()])
        for number, activity in activities.items():
            for text, line in activity.competency_titles:
                found = matcher.match(text)
                if found is None:
                    raise doc.source.fail(
                        f"REAC : la compétence « {text} » de l'activité type n° {number} n'a"
                        " pas de fiche « compétence professionnelle »",
                        line=line,
                    )
                if not found.exact:
                    reac.warnings.append(_approximate(found.text, found.title, line))
                members.setdefault(number, []).append(int(found.code))
    if not titles:
        raise doc.source.fail(
            "REAC sans activité type (ni « FICHE ACTIVITÉ TYPE », ni vue synoptique)",
            line=head.no,
        )
    placed = {n for numbers in members.values() for n in numbers}
    for number, competency in sorted(competencies.items()):
        if number not in placed:
            raise doc.source.fail(
                f"REAC : la compétence n° {number} « {competency.title} » n'est rattachée à"
                " aucune activité type",
                line=reac.lines.get(f"competency:CP{number}", head.no),
            )
    if extensions:
        matcher = TitleMatcher([(str(n), t) for n, (t, _line) in titles.items()])
        for text in extensions:
            found = matcher.match(text)
            if found is not None:
                extended.add(int(found.code))
    blocks: list[Block] = []
    extension_count = 0
    for number in sorted(titles, key=lambda n: (n in extended, n)):
        title, line = titles[number]
        if number not in members:
            raise doc.source.fail(
                f"REAC : l'activité type n° {number} « {title} » n'a aucune compétence",
                line=line,
            )
        fiche = activities.get(number)
        if number in extended:
            extension_count += 1
            code = f"CCS{extension_count}"
        else:
            code = f"CCP{number}"
        blocks.append(
            Block(
                code=code,
                title=title,
                description=fiche.description if fiche else "",
                competencies=[competencies[n] for n in sorted(set(members[number]))],
                extension=number in extended,
            )
        )
        reac.lines[f"block:{code}"] = line
    return blocks


def _renumbered(
    activities: dict[int, _Activity], synoptic: dict[int, tuple[str, int]]
) -> dict[int, _Activity]:
    """Activity fiches keyed by the synoptic's number for their title (an extension fiche
    may be numbered on its own: « FICHE ACTIVITÉ TYPE D'EXTENSION N° 1 »)."""
    if not synoptic:
        return activities
    matcher = TitleMatcher([(str(n), title) for n, (title, _line) in synoptic.items()])
    result: dict[int, _Activity] = {}
    for number, activity in activities.items():
        found = matcher.match(activity.title)
        if found is not None and int(found.code) != number and int(found.code) not in result:
            number = int(found.code)
        result[number] = activity
    return result


def _approximate(text: str, title: str, line: int) -> ImportWarning:
    return ImportWarning(
        code=WarningCode.APPROXIMATE_NAME,
        message=f"« {text} » rapproché de « {title} » (intitulé approché)",
        line=line,
    )


# --- transversal competencies --------------------------------------------------------


def _transversals(doc: Document, start: int, stop: int) -> list[TransversalCompetency]:
    sheet = doc.find("transversal_sheet", start, stop)
    if sheet is None:
        return []
    end = doc.next_heading(
        sheet + 1, frozenset({"glossary", "reproduction", "re_start", "competency"}), stop
    )
    starts = [i for i in range(sheet + 1, end) if doc.lines[i].heading == "description"]
    title_at: list[int] = []
    for index in starts:
        previous = index - 1
        while previous > sheet and doc.lines[previous].blank:
            previous -= 1
        line = doc.lines[previous]
        if previous <= sheet or line.heading or line.is_table:
            raise doc.source.fail(
                "REAC : compétence transversale sans intitulé avant sa description",
                line=doc.lines[index].no,
            )
        title_at.append(previous)
    result: list[TransversalCompetency] = []
    for number, (title_index, body) in enumerate(zip(title_at, starts, strict=True), start=1):
        body_end = title_at[number] if number < len(title_at) else end
        description: list[str] = []
        criteria: list[Criterion] = []
        current = "description"
        for line in doc.prose(body + 1, body_end):
            if line.heading in _COMPETENCY_PARTS:
                current = line.heading
                continue
            if current == "criteria":
                text = item_text(line)
                if text:
                    criteria.append(Criterion(text=text))
            elif current == "description":
                description.append(line.text)
        result.append(
            TransversalCompetency(
                code=f"CT{number}",
                title=doc.lines[title_index].text,
                description="\n".join(description),
                criteria=criteria,
            )
        )
    return result


def _transversal_list(doc: Document, start: int, stop: int) -> list[TransversalCompetency]:
    index = doc.find("job_ct_list", start, stop)
    if index is None:
        return []
    result: list[TransversalCompetency] = []
    for line in doc.prose(index + 1, stop):
        if line.heading or line.is_row:
            break
        result.append(TransversalCompetency(code=f"CT{len(result) + 1}", title=item_text(line)))
    return result


# --- title-level information ---------------------------------------------------------


def _level(doc: Document, start: int, stop: int) -> int | None:
    index = doc.find("level_domain", start, stop)
    candidates = doc.prose(index + 1, index + 6) if index is not None else iter(())
    for line in [*candidates, *doc.prose(start, min(stop, start + 12))]:
        found = _LEVEL.search(line.key)
        if found:
            return int(found.group(1))
    return None


def _codes(doc: Document, start: int, stop: int) -> tuple[list[CodeLabel], list[CodeLabel]]:
    nsf: list[CodeLabel] = []
    rome: list[CodeLabel] = []
    index = doc.find("nsf", start, stop)
    if index is not None:
        texts = [doc.lines[index].text.split(":", 1)[1]] if ":" in doc.lines[index].text else []
        for line in doc.prose(index + 1, stop):
            if line.heading or line.is_table or not _NSF.match(line.text):
                break
            texts.append(line.text)
        for text in texts:
            found = _NSF.match(text.strip())
            if found:
                code = match_key(found.group("code")).replace(" ", "")
                nsf.append(CodeLabel(code=code, label=found.group("label").strip(" -")))
    index = doc.find("rome", start, stop)
    if index is not None:
        for line in doc.prose(index + 1, stop):
            found = _ROME.match(line.text)
            if line.heading or line.is_table or not found:
                break
            rome.append(CodeLabel(code=found.group("code"), label=found.group("label").strip()))
    return nsf, rome


def _old_activities(doc: Document, start: int, stop: int) -> list[str]:
    index = doc.find("old_tp", start, stop)
    if index is None:
        return []
    result: list[str] = []
    for line in doc.prose(index + 1, stop):
        if line.heading or line.is_row:
            break
        if line.key.startswith("activites"):
            continue
        result.append(item_text(line))
    return result
