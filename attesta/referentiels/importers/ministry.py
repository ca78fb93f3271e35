"""Importer for the Ministry of Labour's « titre professionnel » référentiels (REAC + RE).

The document (a PDF converted to text, plain or with markdown headings) holds the REAC
— job, activity types (= blocks = CCP), competency fiches with their performance
criteria, transversal competencies — then the RE: the title's exam (§3.1 methods, §3.2
criteria × methods grid, §3.3 transversal competencies, §4 jury, §5 supervision), one
exam per CCP, the exams of the CCS (certificats complémentaires de spécialisation) if any,
and the annexes (correspondences between old and new CCP). An extension activity type
(« activité type d'extension », evaluated by a CCS) becomes block ``CCS1``, ``CCS2``…

Everything is derived from the document's structure; titles quoted in the RE are matched
to the REAC's with ``rapidfuzz`` (approximate matches are accepted with a warning).
A document that stops early or does not have the expected structure raises
:class:`ImportFailure` naming the line where things went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attesta.referentiels.importers.canonical import (
    Block,
    CodeLabel,
    Correspondence,
    ImportWarning,
    Kind,
    Referentiel,
    TransversalCompetency,
    WarningCode,
)
from attesta.referentiels.importers.ministry_doc import Document, build
from attesta.referentiels.importers.ministry_re import (
    ExamResult,
    Period,
    References,
    Resolver,
    criteria_difference,
    parse_exam,
    parse_references,
    period_of,
)
from attesta.referentiels.importers.ministry_reac import Reac, parse_reac
from attesta.referentiels.importers.ministry_text import (
    TitleMatch,
    TitleMatcher,
    clean,
    fold,
    is_void,
    match_key,
    parse_date,
)
from attesta.referentiels.importers.source import Source

SOURCE_FORMAT = "ministry"

_MARKERS = (
    "referentiel emploi activites competences",
    "referentiel d'evaluation du titre professionnel",
)
_LOOK_LINES = 25
_END_OF_CCPS = frozenset({"annex", "ccs_part", "ccs", "correspondences", "reproduction"})
_END_OF_CCSS = frozenset({"annex", "correspondences", "reproduction"})
_TP_CODE = re.compile(r"\bTP-\d{5}\b")
_NSF_INLINE = re.compile(r"(\d{3}\s?[a-z]?)\s*-+\s*(.+?)(?=\s*,\s*\d{3}\s?[a-z]?\s*-|\s*-?\s*$)")


def looks_like(source: Source) -> bool:
    """True for a Ministry REAC/RE: its title page comes first."""
    seen = 0
    for raw in source.text.split("\n", 400)[:400]:
        if not raw.strip():
            continue
        key = fold(clean(raw))
        if key.startswith(_MARKERS):
            return True
        seen += 1
        if seen >= _LOOK_LINES:
            break
    return False


def parse(source: Source) -> Referentiel:
    doc = build(source)
    reac_at = doc.find("reac_start")
    if reac_at is None:
        raise source.fail(
            "« RÉFÉRENTIEL EMPLOI ACTIVITÉS COMPÉTENCES » introuvable : ce document n'est pas"
            " un REAC/RE de titre professionnel ou son REAC manque",
            line=1,
        )
    re_at = doc.find("re_start", reac_at + 1)
    if re_at is None:
        raise source.fail(
            f"le document s'arrête ligne {doc.last_no} sans « RÉFÉRENTIEL D'ÉVALUATION DU TITRE"
            " PROFESSIONNEL » : REAC seul ou document tronqué",
            line=doc.last_no,
        )
    ccp_part = doc.find("ccp_part", re_at)
    ccs_sections = _ccs_sections(doc, ccp_part) if ccp_part is not None else []
    reac = parse_reac(doc, reac_at, re_at, [s.title for s in ccs_sections])
    warnings: list[ImportWarning] = list(reac.warnings)
    resolver = Resolver((c for b in reac.blocks for c in b.competencies), warnings)
    resolver.blocks = {b.code: [c.code for c in b.competencies] for b in reac.blocks}
    resolver.block_titles = [(b.code, b.title) for b in reac.blocks]
    referentiel = Referentiel(
        code="",
        title="",
        kind=Kind.TITRE_PROFESSIONNEL,
        blocks=reac.blocks,
        transversal_competencies=reac.transversals,
        source_format=SOURCE_FORMAT,
        source_lines=dict(reac.lines),
    )

    if ccp_part is None:
        raise source.fail(
            "RE incomplet : partie « RÉFÉRENTIEL D'ÉVALUATION DES CERTIFICATS DE COMPÉTENCES"
            f" PROFESSIONNELLES » absente (le document s'arrête ligne {doc.last_no})",
            line=doc.last_no,
        )
    refs = _references(doc, re_at, ccp_part)
    _identity(doc, referentiel, reac, refs)

    title_start = doc.find("re_specific", re_at, ccp_part)
    if title_start is None:
        title_start = doc.find("modalities", re_at, ccp_part)
    if title_start is None:
        raise source.fail(
            "RE : section « 3. Dispositif d'évaluation spécifique » / « 3.1. Modalités"
            " d'évaluation » introuvable",
            line=doc.line_no(ccp_part),
        )
    title_exam = parse_exam(doc, title_start, ccp_part, "certification", resolver)
    results = [
        title_exam,
        *_ccp_exams(doc, ccp_part, reac.blocks, resolver),
        *_ccs_exams(doc, ccs_sections, reac, resolver),
    ]
    end_of_ccps = doc.next_heading(ccp_part + 1, _END_OF_CCPS)
    if doc.find("reproduction", end_of_ccps) is None:
        raise source.fail(
            "RE incomplet : annexes et mention finale « Reproduction interdite » absentes, le"
            f" document semble tronqué (dernière ligne : {doc.last_no})",
            line=doc.last_no,
        )

    _company_periods(results)
    for result in results:
        referentiel.exams.append(result.exam)
        referentiel.source_lines.update(result.lines)
        _criteria_mismatches(result, resolver)
    _assessed_through(reac.transversals, title_exam, resolver)
    referentiel.correspondences = _correspondences(doc, re_at, reac, warnings)
    warnings.sort(key=lambda w: (w.line is None, w.line or 0))
    referentiel.warnings = warnings
    return referentiel


# --- identity ------------------------------------------------------------------------


def _references(doc: Document, re_at: int, ccp_part: int) -> References:
    refs_at = doc.find("re_refs", re_at, ccp_part)
    if refs_at is None:
        raise doc.source.fail(
            "RE : section « 1. Références de la spécialité » introuvable",
            line=doc.line_no(re_at),
        )
    end = doc.next_heading(
        refs_at + 1, frozenset({"re_general", "re_specific", "modalities"}), ccp_part
    )
    return parse_references(doc, refs_at, end)


def _identity(doc: Document, referentiel: Referentiel, reac: Reac, refs: References) -> None:
    footer = doc.footers[0] if doc.footers else {}
    re_footers = [f for f in doc.footers if fold(f.get("type de document", "")) == "re"]
    code = footer.get("code titre", "")
    if not _TP_CODE.fullmatch(code):
        found = _TP_CODE.search(doc.source.text)
        code = found.group(0) if found else ""
    if not code:
        raise doc.source.fail(
            "code du titre (« TP-xxxxx ») introuvable dans les pieds de page",
            line=1,
            field="code",
        )
    referentiel.code = code
    referentiel.title = refs.title or reac.title
    if not referentiel.title:
        raise doc.source.fail("intitulé du titre introuvable", line=1, field="intitulé")
    referentiel.acronym = refs.acronym or footer.get("sigle", "")
    referentiel.level = refs.level or reac.level
    referentiel.version = footer.get("millesime", "")
    referentiel.valid_from = parse_date(refs.effective)
    referentiel.published_on = parse_date(refs.published)
    updates = [parse_date(f.get("date de mise a jour", "")) for f in (re_footers or [footer])]
    referentiel.updated_on = max((d for d in updates if d), default=None)
    referentiel.nsf_codes = reac.nsf or [
        CodeLabel(code=m.group(1).replace(" ", ""), label=m.group(2).strip(" -"))
        for m in _NSF_INLINE.finditer(refs.nsf)
    ]
    rome = list(reac.rome)
    for rome_code in re.findall(r"\b[A-Z]\d{4}\b", refs.rome):
        if all(c.code != rome_code for c in rome):
            rome.append(CodeLabel(code=rome_code))
    referentiel.rome_codes = rome
    referentiel.formacode_codes = [
        CodeLabel(code=c) for c in re.findall(r"\b\d{5}\b", refs.formacode)
    ]


# --- exams ---------------------------------------------------------------------------


@dataclass
class _Section:
    """A « CCP » or « CCS » section of the RE: its title and body."""

    title: str
    line: int  # of the title
    body: int  # index of the first line after the title
    end: int  # index of the first line after the section


def _sections(doc: Document, kind: str, start: int, end: int) -> list[_Section]:
    heads = doc.find_all(kind, start, end)
    sections: list[_Section] = []
    for position, head_index in enumerate(heads):
        head = doc.lines[head_index]
        section_end = heads[position + 1] if position + 1 < len(heads) else end
        title, title_line, body = head.rest, head.no, head_index + 1
        if not title:
            at = doc.first_text(head_index + 1, section_end)
            if at is None or doc.lines[at].heading or doc.lines[at].is_table:
                raise doc.source.fail(
                    f"RE : section « {kind.upper()} » sans intitulé", line=head.no
                )
            title, title_line, body = doc.lines[at].text, doc.lines[at].no, at + 1
        sections.append(_Section(title, title_line, body, section_end))
    return sections


def _ccs_sections(doc: Document, ccp_part: int) -> list[_Section]:
    """The RE's CCS sections (« certificats complémentaires de spécialisation »)."""
    start = doc.next_heading(ccp_part + 1, frozenset({"ccs_part", "ccs"}))
    end = doc.next_heading(start + 1, _END_OF_CCSS)
    return _sections(doc, "ccs", start, end)


def _ccp_exams(
    doc: Document, ccp_part: int, blocks: list[Block], resolver: Resolver
) -> list[ExamResult]:
    end = doc.next_heading(ccp_part + 1, _END_OF_CCPS)
    ccps = [b for b in blocks if not b.extension]
    matcher = TitleMatcher([(b.code, b.title) for b in ccps])
    results: list[ExamResult] = []
    seen: dict[str, int] = {}
    for section in _sections(doc, "ccp", ccp_part + 1, end):
        found = matcher.match(section.title)
        if found is None:
            raise doc.source.fail(
                f"RE : le CCP « {section.title} » ne correspond à aucune activité type du REAC",
                line=section.line,
            )
        results.append(_section_exam(doc, section, found, "CCP", seen, resolver))
    for block in ccps:
        if block.code not in seen:
            raise doc.source.fail(
                f"RE incomplet : pas de référentiel d'évaluation pour le CCP « {block.title} »"
                " (document tronqué ou structure inattendue)",
                line=doc.line_no(end if end < len(doc.lines) else len(doc.lines) - 1),
            )
    order = [b.code for b in blocks]
    return sorted(results, key=lambda r: order.index(r.exam.scope))


def _ccs_exams(
    doc: Document, sections: list[_Section], reac: Reac, resolver: Resolver
) -> list[ExamResult]:
    """Exams of the extension activity types (blocks ``CCS1``…) that the RE evaluates."""
    blocks = reac.blocks
    extensions = [b for b in blocks if b.extension]
    matcher = TitleMatcher([(b.code, b.title) for b in extensions])
    results: list[ExamResult] = []
    seen: dict[str, int] = {}
    for section in sections:
        found = matcher.match(section.title)
        if found is None:
            raise doc.source.fail(
                f"RE : le CCS (certificat complémentaire de spécialisation) « {section.title} »"
                " ne correspond à aucune activité type du REAC : son activité type"
                " d'extension et ses fiches compétences doivent figurer au REAC",
                line=section.line,
            )
        results.append(_section_exam(doc, section, found, "CCS", seen, resolver))
    for block in extensions:
        if block.code not in seen:
            resolver.warn(
                WarningCode.OTHER,
                f"{block.code} « {block.title} » (activité type d'extension) : le RE ne donne"
                " pas son référentiel d'évaluation, le bloc est importé sans épreuve",
                reac.lines.get(f"block:{block.code}", doc.last_no),
            )
    order = [b.code for b in blocks]
    return sorted(results, key=lambda r: order.index(r.exam.scope))


def _section_exam(
    doc: Document,
    section: _Section,
    found: TitleMatch,
    kind: str,
    seen: dict[str, int],
    resolver: Resolver,
) -> ExamResult:
    if not found.exact:
        resolver.warn(
            WarningCode.APPROXIMATE_NAME,
            f"{kind} « {section.title} » rapproché de l'activité type {found.code}"
            f" « {found.title} » (similarité {found.score:.0f} %)",
            section.line,
        )
    if found.code in seen:
        raise doc.source.fail(
            f"RE : deux sections pour le {kind} « {found.title} » (voir ligne {seen[found.code]})",
            line=section.line,
        )
    seen[found.code] = section.line
    _jury_heading(doc, section, found, kind, resolver)
    return parse_exam(doc, section.body, section.end, found.code, resolver)


_JURY_NAMES = re.compile(r"\bpropre aux?\s+cc[ps]\b\s*[:\-–]?\s*(?P<name>.*)$", re.IGNORECASE)


def _jury_heading(
    doc: Document, section: _Section, found: TitleMatch, kind: str, resolver: Resolver
) -> None:
    """« Conditions de présence … du jury propre au CCP <name> »: <name> is checked against
    the section's activity type (misspelt: approximate; another CCP or none: reported)."""
    at = doc.find("jury_conditions", section.body, section.end)
    named = _JURY_NAMES.search(doc.lines[at].text) if at is not None else None
    if at is None or named is None or not match_key(named.group("name")):
        return
    name, line = named.group("name"), doc.lines[at].no
    if match_key(found.title).startswith(match_key(name)) and len(match_key(name)) >= 12:
        return  # the name itself, possibly cut by a line break
    candidates = [(found.code, found.title)] + [
        (code, title) for code, title in resolver.block_titles if code != found.code
    ]
    match = TitleMatcher(candidates).match(name)
    if match is None:
        resolver.warn(
            WarningCode.UNKNOWN_REFERENCE,
            f"conditions de présence du jury propre au {kind} « {name} » : aucune activité type"
            f" du REAC ne porte ce nom (section du {kind} {found.code} « {found.title} »)",
            line,
        )
    elif match.code != found.code:
        resolver.warn(
            WarningCode.OTHER,
            f"conditions de présence du jury propre au {kind} « {name} » : ce nom est celui de"
            f" {match.code}, or la section porte sur {found.code} « {found.title} »",
            line,
        )
    elif not match.exact:
        resolver.warn(
            WarningCode.APPROXIMATE_NAME,
            f"conditions de présence du jury propre au {kind} « {name} » rapproché de"
            f" {found.code} « {found.title} » (similarité {match.score:.0f} %)",
            line,
        )


def _company_periods(results: list[ExamResult]) -> None:
    title, ccps = results[0], results[1:]
    every: list[Period] = [p for r in results for p in r.periods]
    title.exam.company_period = (
        period_of(title.periods, "title")
        or period_of(title.periods, "")
        or period_of(every, "title")
    )
    for result in ccps:
        if result.exam.scope.startswith("CCS"):  # its own period, if any
            result.exam.company_period = period_of(result.periods, "") or period_of(
                result.periods, "ccp"
            )
            continue
        result.exam.company_period = (
            period_of(result.periods, "ccp")
            or period_of(result.periods, "")
            or period_of(title.periods, "ccp")
            or period_of(every, "ccp")
        )


def _criteria_mismatches(result: ExamResult, resolver: Resolver) -> None:
    for row in result.matrix_rows:
        if row.code is None:
            continue
        competency = resolver.competencies[row.code]
        difference = criteria_difference([c.text for c in competency.criteria], row.criteria)
        if difference:
            resolver.warn(
                WarningCode.CRITERIA_MISMATCH,
                f"{row.code} « {competency.title} » : critères du RE différents des critères de"
                f" performance du REAC — {difference}",
                row.line,
            )


def _assessed_through(
    transversals: list[TransversalCompetency], title_exam: ExamResult, resolver: Resolver
) -> None:
    """RE §3.3: the professional competencies through which each transversal is assessed."""
    matcher = TitleMatcher([(t.code, t.title) for t in transversals])
    by_code = {t.code: t for t in transversals}
    reported: set[str] = set()
    linked: dict[str, list[str]] = {}
    for text, line, code in title_exam.transversal_links:
        found = matcher.match(text)
        if found is None or not found.exact:
            if text not in reported:
                reported.add(text)
                if found is None:
                    resolver.warn(
                        WarningCode.UNKNOWN_REFERENCE,
                        f"compétence transversale « {text} » absente du REAC",
                        line,
                    )
                else:
                    resolver.warn(
                        WarningCode.APPROXIMATE_NAME,
                        f"« {text} » rapproché de la compétence transversale {found.code}"
                        f" « {found.title} » (similarité {found.score:.0f} %)",
                        line,
                    )
            if found is None:
                continue
        if code is not None:
            linked.setdefault(found.code, []).append(code)
    for code, codes in linked.items():
        by_code[code].assessed_through = resolver.ordered(codes)


# --- annex: correspondences ----------------------------------------------------------


def _correspondences(
    doc: Document, re_at: int, reac: Reac, warnings: list[ImportWarning]
) -> list[Correspondence]:
    at = doc.find("correspondences", re_at)
    if at is None:
        return []
    blocks = TitleMatcher([(b.code, b.title) for b in reac.blocks])
    old = TitleMatcher([(f"CCP{n}", t) for n, t in enumerate(reac.old_activities, start=1)])
    result: list[Correspondence] = []
    for line in doc.lines[at + 1 :]:
        if line.blank:
            continue
        if line.heading in ("annex", "reproduction", "glossary"):
            break
        if not line.is_row:
            if result:
                break
            continue
        cells = [clean(c) for c in line.cells] + ["", "", "", ""]
        if any("arrete" in fold(c) for c in cells) or sum(1 for c in cells if c) < 2:
            continue
        if line.text.endswith(":") or (not line.is_table and cells[1][:1].islower()):
            continue  # the sentence introducing the table, split by a stray tab
        if re.fullmatch(r"cc[ps]\s*\d*", fold(cells[0])):
            old_title, new_title = cells[1], cells[3]
        else:
            old_title, new_title = cells[0], cells[2] or cells[1]
        old_code = ""
        if not is_void(old_title):
            found_old = old.match(old_title)
            old_code = found_old.code if found_old else f"CCP{len(result) + 1}"
        else:
            old_title = ""
        new_code = ""
        if not is_void(new_title):
            found = blocks.match(new_title)
            if found is None:
                warnings.append(
                    ImportWarning(
                        code=WarningCode.UNKNOWN_REFERENCE,
                        message=f"correspondance : CCP « {new_title} » absent du REAC",
                        line=line.no,
                    )
                )
            else:
                new_code = found.code
                if not found.exact:
                    warnings.append(
                        ImportWarning(
                            code=WarningCode.APPROXIMATE_NAME,
                            message=f"correspondance : « {new_title} » rapproché de {found.code}"
                            f" « {found.title} » (similarité {found.score:.0f} %)",
                            line=line.no,
                        )
                    )
        else:
            new_title = ""
        result.append(Correspondence(old_code, old_title, new_code, new_title))
    return result
