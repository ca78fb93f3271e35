"""Certifier référentiels in table form (RNCP style), converted from PDF to text.

The document is a preamble (legal text, disability accommodations), then a four-column
table — référentiel d'activités | compétences | modalités d'évaluation | critères
d'évaluation — whose header row may be repeated on every page, then sometimes a
postamble (« évaluations complémentaires », access routes). Each table row is one line of
tab-separated cells holding HTML fragments. A row whose first cells are empty continues
the competency, method or criteria cell above it (row spans and page breaks).

What is read from where:

- blocks: an activity cell (or a row of its own) starting « Bloc 1 », « Bloc de
  compétences n°1 : », « BLOC 1 – », « BC01 », « RNCP37849BC01 - », « Activité 1 : »,
  « A5. » (or « 1. » when the document uses no such word); coded ``BC01``, ``BC02``… in
  order; the rest of the activity column is the block's description;
- competencies: a competency cell starting with a code (« C1 - », « C1. », « C.1 »,
  « C 11 -Participer », « C1.2.4 », « C1a », « Compétence 1 : », a bare « 1.1 »); a cell
  without a code continues the competency above. When the numbering restarts in each block
  (a block opening on the code an earlier block opened on: block 2 « C1, C2 » again), every
  competency code is prefixed with its block's (``BC02-C1``) so that codes stay unique, and
  competency references in methods are looked up in the method's own block first;
- criteria: see :mod:`certifier_criteria` (« CR2.1.5 », « CE1.2 », ✓ • - 1) a) items and
  their group headings, ``<p>`` paragraphs, sentences);
- a table of three columns whose évaluation cells read « Modalités : … Critères : … » is
  split at « Critères » (a cell without that label is refused);
- noise: header rows repeated on each page, short lines between two rows (a page footer),
  extra empty cells, Windows line endings and non-breaking spaces are ignored;
- methods: a method cell opens a new method when it names one (« E1 … », « Evaluation 2 »,
  « Mise en situation professionnelle », « Le candidat soutient oralement… »), otherwise
  it continues the current one; an empty cell means the method spans that row; « Voir
  évaluation 1 » points back at a method. A method assesses the competencies it names
  (« (C1.1.1) », « valide les compétences 8-9-11-12-13 ») plus the rows pointing at it,
  or, if it names none, those of the rows it spans;
- after the table: requirements of the whole certification (company period, dossier…),
  kept in an exam of scope ``certification``.

Anything guessed becomes an :class:`ImportWarning`; anything that cannot be read — no
table, a block without competencies, a table cut short (among other signs: fewer blocks
than the preamble announces) — raises :class:`ImportFailure` with the line. A cut exactly
between two rows leaves a well-formed shorter table, and is only caught when the document
announces what is missing. No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from attesta.referentiels.importers import certifier_layout as layout
from attesta.referentiels.importers import certifier_methods as methods
from attesta.referentiels.importers.canonical import (
    AssessmentMethod,
    Block,
    Competency,
    Criterion,
    Exam,
    ImportWarning,
    Kind,
    MethodKind,
    Referentiel,
    WarningCode,
)
from attesta.referentiels.importers.certifier_criteria import CRITERION_CODE, CriteriaReader
from attesta.referentiels.importers.certifier_text import (
    clean,
    first_sentence,
    flatten,
    fold,
    sentences,
    shorten,
    strip_trailing,
    tokenize,
)
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.source import Source

SOURCE_FORMAT = "certifier_table"
_TRUNCATED = "le tableau semble tronqué"
_FOOTER_WORDS = 15  # a page footer or running header is short


def looks_like(source: Source) -> bool:
    """True when the document holds the certifier table header row."""
    return any(layout.header_columns(line) for line in source.lines if "\t" in line)


def parse(source: Source) -> Referentiel:
    return _Parser(source).run()


# --- drafts: what the table says, before it is turned into canonical objects ---------------


@dataclass
class _CompetencyDraft:
    code: str  # as the document writes it (« C1 »), see _Parser._code for the final one
    line: int
    fragments: list[str]
    block: int  # index of its block in _Parser.blocks
    criteria: list[tuple[int, str, bool]] = field(default_factory=list)  # line, html, cont.


@dataclass
class _MethodDraft:
    line: int
    fragments: list[tuple[int, str]]
    label: str | None  # « 2 » for « Evaluation 2 »
    code: str | None  # « E2 »
    # competencies of the rows it spans, and whether through « voir »
    rows: list[tuple[_CompetencyDraft, bool]] = field(default_factory=list)

    @property
    def html(self) -> list[str]:
        return [html for _, html in self.fragments]


@dataclass
class _BlockDraft:
    number: int
    line: int
    heading: str
    activities: list[str] = field(default_factory=list)
    competencies: list[_CompetencyDraft] = field(default_factory=list)
    methods: list[_MethodDraft] = field(default_factory=list)
    current_method: _MethodDraft | None = None
    via_reference: bool = False


@dataclass
class _Row:
    line: int
    activity: str
    competency: str
    method: str
    criteria: str

    def cells(self) -> list[str]:
        return [self.activity, self.competency, self.method, self.criteria]


# --- parser -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.lines = [line.rstrip("\r") for line in source.lines]
        self.warnings: list[ImportWarning] = []
        self.source_lines: dict[str, int] = {}
        self.blocks: list[_BlockDraft] = []
        self.competencies: list[_CompetencyDraft] = []
        self.restarts = False  # numbering restarting in each block: codes get prefixed
        self.prefix_warnings: list[ImportWarning] = []
        self.postamble: list[tuple[int, str]] = []
        self.last_row: _Row | None = None
        self.word_headings = True
        self.combined = False  # modalités and critères in one column

    def fail(self, message: str, line: int | None) -> ImportFailure:
        return self.source.fail(message, line=line)

    def warn(self, code: WarningCode, message: str, line: int | None) -> None:
        self.warnings.append(ImportWarning(code=code, message=message, line=line))

    def run(self) -> Referentiel:
        header = next((i for i, line in enumerate(self.lines) if layout.header_columns(line)), None)
        if header is None:
            raise self.fail(
                "en-tête du tableau introuvable (« RÉFÉRENTIEL D'ACTIVITÉS », « RÉFÉRENTIEL "
                "DE COMPÉTENCES », « RÉFÉRENTIEL D'ÉVALUATION »)",
                1,
            )
        columns = self._columns(header)
        self.word_headings = self._uses_word_headings(header, columns)
        reached_end = self._read_table(header, columns)
        if not self.blocks:
            raise self.fail(
                "le tableau ne contient aucun bloc (« Bloc 1 », « Activité 1 », « 1. »…)",
                header + 1,
            )
        self._check_block_not_empty(self.blocks[-1])
        self._check_announced_blocks(header, reached_end)
        self._check_criteria(reached_end)
        if reached_end:
            self._check_truncation()
        blocks = [self._build_block(i, draft) for i, draft in enumerate(self.blocks)]
        exams = [
            self._build_exam(block, draft) for block, draft in zip(blocks, self.blocks, strict=True)
        ]
        certification = self._certification_exam()
        if certification is not None:
            exams.append(certification)
        table_end = self.postamble[0][0] - 1 if self.postamble else len(self.lines)
        title, code, level, from_filename = layout.identity(
            self.lines[:header], self.source.filename, self.lines[header:table_end]
        )
        if from_filename:
            self.warn(
                WarningCode.OTHER,
                f"intitulé de la certification absent du document : « {title} » tiré du nom "
                "du fichier",
                None,
            )
        self.warnings.sort(key=lambda w: (w.line is None, w.line or 0))
        return Referentiel(
            code=code,
            title=title,
            kind=Kind.CERTIFIER,
            level=level,
            blocks=blocks,
            exams=exams,
            warnings=self.warnings,
            source_format=SOURCE_FORMAT,
            source_lines=self.source_lines,
        )

    # -- table --

    def _columns(self, header: int) -> dict[str, int]:
        roles = layout.header_columns(self.lines[header]) or {}
        columns = {"activity": roles["activity"], "competency": roles["competency"]}
        sub = next(
            (
                found
                for line in self.lines[header + 1 : header + 4]
                if (found := layout.subheader_columns(line))
            ),
            None,
        )
        if sub:
            columns.update(sub)
        elif self._three_columns(header, roles["evaluation"]):
            # One évaluation column holding « Modalités : … Critères : … »: split per cell.
            self.combined = True
            columns["method"] = columns["criteria"] = roles["evaluation"]
        else:
            columns["method"] = roles["evaluation"]
            columns["criteria"] = roles["evaluation"] + 1
        if len(set(columns.values())) != (3 if self.combined else 4):
            raise self.fail(
                "colonnes du tableau non reconnues (activités, compétences, modalités, critères)",
                header + 1,
            )
        return columns

    def _three_columns(self, header: int, evaluation: int) -> bool:
        """No sub-header and no row ever fills a column after the évaluation one."""
        used = 0
        for line in self.lines[header + 1 :]:
            if "\t" in line and not layout.is_header(line):
                cells = line.split("\t")
                filled = [i for i, c in enumerate(cells) if clean(c)]
                used = max(used, filled[-1] if filled else 0)
        return used <= evaluation

    def _split_evaluation(self, number: int, html: str) -> tuple[str, str]:
        """« Modalités d'évaluation : … Critères d'évaluation : … » → (method, criteria)."""
        if not clean(html) or methods.SEE_ALSO.match(clean(html)):
            return html, ""
        mark = layout.CRITERIA_MARK.search(html)
        if mark is None:
            raise self.fail(
                "tableau à trois colonnes : cette cellule d'évaluation ne sépare pas modalités "
                "et critères (« Critères d'évaluation : ») ; mettez les critères dans une "
                "colonne à part",
                number,
            )
        return layout.METHOD_MARK.sub("", html[: mark.start()]), html[mark.end() :]

    def _uses_word_headings(self, header: int, columns: dict[str, int]) -> bool:
        """Whether blocks are announced by « Bloc N » / « Activité N » / « AN. » anywhere;
        if not, « N. » at the start of an activity cell announces them. Text after the last
        row (a postamble naming « Bloc 1 ») is not looked at."""
        rows = [i for i, line in enumerate(self.lines) if "\t" in line]
        for line in self.lines[header + 1 : rows[-1] + 1]:
            cells = [clean(c) for c in line.split("\t")]
            filled = [c for c in cells if c]
            candidates = [cells[columns["activity"]]] if len(cells) > columns["activity"] else []
            if len(filled) == 1:
                candidates.append(filled[0])
            if any(layout.word_heading(c) is not None for c in candidates):
                return True
        return False

    def _read_table(self, header: int, columns: dict[str, int]) -> bool:
        """Read the rows; True if the table runs to the end of the document."""
        width = max(columns.values()) + 1
        last_filled = max(i for i, line in enumerate(self.lines) if line.strip())
        ended = False
        after_blank = False
        for index in range(header + 1, len(self.lines)):
            line = self.lines[index]
            if not line.strip():
                after_blank = True
                continue
            number = index + 1
            is_last = index == last_filled
            if layout.is_header(line):
                if is_last:
                    raise self.fail(
                        f"le document s'arrête sur un en-tête de tableau : {_TRUNCATED}", number
                    )
                if ended:  # lines between two pages of the table: ignored
                    self._ignore_postamble()
                    ended = False
                after_blank = False
                continue
            if ended and self._resumes(line, width):
                self._ignore_postamble()  # a page footer without the header repeated after it
                ended = False
            if ended:
                self.postamble.append((number, line))
                continue
            cells = line.split("\t")
            if len(cells) == 1:
                row = self._lone_cell(number, line)
                if row is None:
                    if is_last and layout.cut_table_line(line, after_blank):
                        raise self.fail(
                            f"le document s'arrête sur {_quote(clean(line))}, qui "
                            f"n'est ni une ligne du tableau ni un texte de fin : {_TRUNCATED}",
                            number,
                        )
                    ended = True
                    self.postamble.append((number, line))
                    continue
            else:
                row = self._row(number, cells, columns, width, is_last)
            self._take(row)
            self.last_row = row
            after_blank = False
        return not ended

    def _ignore_postamble(self) -> None:
        for loose, text in self.postamble:
            self.warn(
                WarningCode.OTHER, f"ligne hors tableau ignorée : {_quote(clean(text))}", loose
            )
        self.postamble.clear()

    def _resumes(self, line: str, width: int) -> bool:
        """A full-width row after a few short loose lines (« Page 3 / 12 », the document's
        name): the table goes on, those lines were a page footer or header. After prose
        (VAE, equivalences), tab-separated lines belong to the text after the table."""
        cells = line.split("\t")
        return (
            len(cells) >= width
            and any(clean(c) for c in cells)
            and all(len(clean(text).split()) <= _FOOTER_WORDS for _, text in self.postamble)
            and len(self.postamble) <= 3
        )

    def _lone_cell(self, number: int, line: str) -> _Row | None:
        """A line without tabs inside the table: a degenerate row, or the table's end."""
        text = clean(line)
        if CRITERION_CODE.match(text):
            return _Row(number, "", "", "", line)
        if layout.competency_code(text, bare=False):
            return _Row(number, "", line, "", "")
        heading = layout.word_heading(text)
        last = self.blocks[-1].number if self.blocks else 0
        if heading is not None and heading in (last, last + 1):
            return _Row(number, line, "", "", "")
        return None  # « Bloc 1 : équivalent au… » after the table is no new block

    def _row(
        self, number: int, cells: list[str], columns: dict[str, int], width: int, last: bool
    ) -> _Row:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise self.fail(
                f"ligne à {len(cells)} colonnes alors que le tableau en a {width} : "
                "structure inattendue",
                number,
            )
        if len(cells) < width:
            if last:
                raise self.fail(
                    f"ligne incomplète ({len(cells)} colonnes sur {width}) en fin de "
                    f"document : {_TRUNCATED}",
                    number,
                )
            self.warn(
                WarningCode.OTHER,
                f"ligne à {len(cells)} colonnes au lieu de {width} : colonnes manquantes "
                "supposées vides",
                number,
            )
            cells = cells + [""] * (width - len(cells))
        if last and any(c.count("<p") != c.count("</p>") for c in cells):
            raise self.fail(f"paragraphe non refermé en fin de document : {_TRUNCATED}", number)
        method, criteria = cells[columns["method"]], cells[columns["criteria"]]
        if self.combined:
            method, criteria = self._split_evaluation(number, method)
        row = _Row(
            number, cells[columns["activity"]], cells[columns["competency"]], method, criteria
        )
        activity = clean(row.activity)
        filled = [c for c in row.cells() if clean(c)]
        if not clean(row.competency) and layout.competency_code(activity, bare=False):
            # A row shifted one column left (« C3.2.4 … ⇥ ⇥ ⇥ CR3.2.4 … »).
            row.competency, row.activity = row.activity, ""
        elif not clean(row.criteria) and CRITERION_CODE.match(activity):
            row.criteria, row.activity = row.activity, ""
        elif len(filled) == 1 and not activity and layout.word_heading(clean(filled[0])):
            # A block heading spanning the row, converted into some other column.
            row = _Row(number, filled[0], "", "", "")
        return row

    def _take(self, row: _Row) -> None:
        activity = clean(row.activity)
        if activity:
            self._activity(row.line, row.activity, activity)
        block = self.blocks[-1] if self.blocks else None
        if block is None:
            if any(clean(c) for c in row.cells()):
                raise self.fail(
                    "le tableau ne commence pas par un bloc (« Bloc 1 », « Activité 1 », « 1. »…)",
                    row.line,
                )
            return
        started: list[_CompetencyDraft] = []
        if clean(row.competency):
            started = self._competencies(block, row.line, row.competency)
        current = block.competencies[-1] if block.competencies else None
        if clean(row.criteria):
            if current is None:
                raise self.fail(
                    "critères d'évaluation sans compétence sur la ligne ni au-dessus", row.line
                )
            current.criteria.append((row.line, row.criteria, not started))
        row_competencies = started or ([current] if current else [])
        self._method(block, row.line, row.method, row_competencies)

    def _activity(self, line: int, html: str, text: str) -> None:
        if layout.looks_like_sub_activity(text):
            number = None
        elif self.word_headings:
            number = layout.word_heading(text)
        else:
            number = layout.number_heading(text)
            if number is not None and number != len(self.blocks) + 1:
                number = None  # « 2. » inside a block is an activity, not the next block
        if number is None:
            if self.blocks:
                self.blocks[-1].activities.append(html)
            return
        if self.blocks and number == self.blocks[-1].number:
            return  # the block's heading repeated at the top of a new page
        if self.blocks:
            self._check_block_not_empty(self.blocks[-1])
        expected = len(self.blocks) + 1
        if number != expected:
            self.warn(
                WarningCode.OTHER,
                f"bloc numéroté {number} dans le document, codé BC{expected:02d}",
                line,
            )
        self.blocks.append(_BlockDraft(number=number, line=line, heading=html))

    def _check_block_not_empty(self, block: _BlockDraft) -> None:
        if not block.competencies:
            raise self.fail(
                f"le bloc {block.number} {_quote(clean(block.heading))} n'a aucune "
                "compétence : tableau tronqué ou structure inattendue",
                block.line,
            )

    def _competencies(self, block: _BlockDraft, line: int, html: str) -> list[_CompetencyDraft]:
        """Start the competencies a cell holds, or continue the current one."""
        parts = layout.split_competencies(html)
        if len(parts) > 1:
            self.warn(
                WarningCode.CRITERIA_MISMATCH,
                f"{len(parts)} compétences dans une même cellule : leurs critères sont "
                "rangés sous la dernière",
                line,
            )
        started = []
        for part in parts:
            text = clean(part)
            code = layout.competency_code(text)
            if code is None:
                if not block.competencies:
                    raise self.fail(
                        f"compétence sans code (« C1 », « C1.1 »…) : {_quote(text)}",
                        line,
                    )
                block.competencies[-1].fragments.append(part)
                continue
            started.append(self._start_competency(block, line, part, code))
        return started

    def _start_competency(
        self, block: _BlockDraft, line: int, html: str, code: str
    ) -> _CompetencyDraft:
        same = _find(block.competencies, code)
        if same is not None:
            raise self.fail(
                f"la compétence {code} apparaît deux fois (déjà ligne {same.line})", line
            )
        earlier = _find(self.competencies, code)
        if earlier is not None and not self.restarts:
            self._restart(block, line, code, earlier)
        prefix = int(code[1:].split(".")[0]) if "." in code else block.number
        if prefix != block.number and not self.restarts:
            # Codes usually carry their block's number (C2.1 in block 2): an « Activité 2 »
            # heading the parser did not recognise, or codes numbered otherwise.
            self.warn(
                WarningCode.OTHER,
                f"la compétence {code} est rangée dans le bloc {block.number} : en-tête de "
                f"bloc {prefix} manquant ?",
                line,
            )
            self.prefix_warnings.append(self.warnings[-1])
        draft = _CompetencyDraft(code=code, line=line, fragments=[html], block=len(self.blocks) - 1)
        block.competencies.append(draft)
        self.competencies.append(draft)
        return draft

    def _restart(self, block: _BlockDraft, line: int, code: str, earlier: _CompetencyDraft) -> None:
        """A code an earlier block already has: the numbering restarts in each block if this
        block opens on a code an earlier block opened on (« C1 » again); otherwise the code
        is a mistake."""
        openers = {b.competencies[0].code for b in self.blocks[:-1] if b.competencies}
        if block.competencies or code not in openers:
            raise self.fail(
                f"la compétence {code} apparaît deux fois (déjà ligne {earlier.line}, dans le "
                f"bloc {self.blocks[earlier.block].number})",
                line,
            )
        self.restarts = True
        # « C1.2 » in block 2 is then competency 1.2 of the block, not of block 1.
        self.warnings = [w for w in self.warnings if not _among(w, self.prefix_warnings)]
        self.warn(
            WarningCode.OTHER,
            f"numérotation des compétences reprise à chaque bloc ({code} déjà dans le bloc "
            f"{self.blocks[earlier.block].number}) : chaque code est préfixé par celui de son "
            f"bloc ({self._code_in(len(self.blocks) - 1, code)}…)",
            line,
        )

    def _code_in(self, block_index: int, code: str) -> str:
        """The competency's code in the référentiel: the document's, prefixed with the block's
        code when the numbering restarts in each block."""
        return f"BC{block_index + 1:02d}-{code}" if self.restarts else code

    def _code(self, draft: _CompetencyDraft) -> str:
        return self._code_in(draft.block, draft.code)

    def _candidates(self, block_index: int, code: str) -> list[_CompetencyDraft]:
        """The competencies a reference to ``code`` in a block's method may mean: the
        block's own, else those of the other blocks (several when the numbering restarts)."""
        own = _find(self.blocks[block_index].competencies, code)
        if own is not None:
            return [own]
        return [c for c in self.competencies if c.code == code]

    def _method(
        self, block: _BlockDraft, line: int, html: str, competencies: list[_CompetencyDraft]
    ) -> None:
        text = clean(html)
        current = block.current_method
        if not text:
            if current is not None:
                current.rows.extend((draft, block.via_reference) for draft in competencies)
            return
        see = methods.SEE_ALSO.match(text)
        if see:
            target = _referenced(block.methods, see.group(1), see.group(2))
            block.current_method, block.via_reference = target, True
            if target is None:
                elsewhere = [
                    f"BC{i + 1:02d}"
                    for i, other in enumerate(self.blocks[:-1])
                    if _referenced(other.methods, see.group(1), see.group(2))
                ]
                where = (
                    f"modalité du bloc {elsewhere[0]}, les compétences de la ligne n'y sont pas "
                    "rattachées"
                    if elsewhere
                    else "aucune modalité de ce nom plus haut dans le bloc"
                )
                self.warn(WarningCode.UNKNOWN_REFERENCE, f"{_quote(text)} : {where}", line)
            else:
                target.rows.extend((c, True) for c in competencies)
            return
        if (
            current is None
            or block.via_reference
            or methods.opens_method(text, self._kind_so_far(current), current.label)
        ):
            label = methods.LABEL.search(text[:160])
            code_match = methods.EXAM_CODE.match(text)
            current = _MethodDraft(
                line=line,
                fragments=[(line, html)],
                label=label.group(2) if label else None,
                code=code_match.group(1).replace(" ", "").upper() if code_match else None,
            )
            block.methods.append(current)
            block.current_method, block.via_reference = current, False
        else:
            current.fragments.append((line, html))
        current.rows.extend((c, False) for c in competencies)

    @staticmethod
    def _kind_so_far(draft: _MethodDraft) -> MethodKind:
        _, text, _ = methods.method_texts(draft.html)
        return methods.classify(methods.method_title(draft.fragments[0][1]), text)

    # -- checks that a table running to the end of the file was not cut short --

    def _check_announced_blocks(self, header: int, reached_end: bool) -> None:
        """The preamble's « composée de 4 blocs de compétences » against the table."""
        announced = layout.announced_blocks(self.lines[:header])
        if announced is None or announced[0] == len(self.blocks):
            return
        count, index = announced
        message = f"{count} blocs de compétences annoncés, {len(self.blocks)} dans le tableau"
        if count > len(self.blocks) and reached_end:
            raise self.fail(f"{message}, et le document s'arrête là : {_TRUNCATED}", index + 1)
        self.warn(WarningCode.OTHER, message, index + 1)

    def _check_criteria(self, reached_end: bool) -> None:
        last = self.blocks[-1].competencies[-1]
        if not last.criteria and reached_end:
            raise self.fail(
                f"la compétence {self._code(last)} n'a aucun critère d'évaluation et le document "
                f"s'arrête là : {_TRUNCATED}",
                last.line,
            )
        for block in self.blocks:
            for competency in block.competencies:
                if not competency.criteria:
                    self.warn(
                        WarningCode.CRITERIA_MISMATCH,
                        f"la compétence {self._code(competency)} n'a aucun critère d'évaluation",
                        competency.line,
                    )

    def _check_truncation(self) -> None:
        last_block = self.blocks[-1]
        last_competency = last_block.competencies[-1]
        if not last_block.methods and any(b.methods for b in self.blocks[:-1]):
            raise self.fail(
                "le dernier bloc n'a aucune modalité d'évaluation et le document s'arrête là : "
                + _TRUNCATED,
                self.last_row.line if self.last_row else last_block.line,
            )
        last_key = _code_key(last_competency.code)
        for method in last_block.methods:
            for line, html in method.fragments:
                for number in methods.referenced_numbers(clean(html).split("----", 1)[0]):
                    code = f"C{number}"
                    if (
                        not self._candidates(len(self.blocks) - 1, code)
                        and _code_key(code) > last_key
                    ):
                        raise self.fail(
                            f"la modalité cite {code}, qui n'est pas dans le tableau, et le "
                            f"document s'arrête avant : {_TRUNCATED}",
                            line,
                        )
        if last_block.methods:
            first = last_block.methods[0]
            announced = methods.announced_count(clean(first.fragments[0][1]))
            if announced and announced > len(last_block.methods):
                raise self.fail(
                    f"{announced} modalités annoncées pour le dernier bloc, "
                    f"{len(last_block.methods)} trouvée(s), et le document s'arrête là : "
                    + _TRUNCATED,
                    first.line,
                )
        self._check_last_method()
        self._check_last_cells()
        self._check_last_row()

    def _check_last_method(self) -> None:
        """The last method must not stop at its heading, nor lack (or cut) the note that
        ends every other method."""
        drafts = [m for b in self.blocks for m in b.methods]
        if not drafts:
            return
        last = drafts[-1]
        _, text, note = methods.method_texts(last.html)
        title = methods.method_title(last.fragments[0][1])
        key = methods.text_key

        def heading_only(draft: _MethodDraft) -> bool:
            _, text, note = methods.method_texts(draft.html)
            title = methods.method_title(draft.fragments[0][1])
            return not note and len(key(text)) <= len(key(title)) + len(draft.code or "") + 1

        if (
            heading_only(last)
            and methods.durations(text).minutes is None
            and not any(heading_only(m) for m in drafts[:-1])
        ):
            raise self.fail(
                f"la modalité {_quote(title)} s'arrête à son intitulé, et le document "
                f"aussi : {_TRUNCATED}",
                last.line,
            )
        others = [key(methods.method_texts(m.html)[2]) for m in drafts[:-1]]
        if len(others) >= 2 and all(others):
            common = max(set(others), key=others.count)
            if not note or (common.startswith(key(note)) and key(note) != common):
                raise self.fail(
                    "la note qui termine chaque modalité manque ou est coupée pour la dernière, "
                    f"et le document s'arrête là : {_TRUNCATED}",
                    last.fragments[-1][0],
                )

    def _check_last_cells(self) -> None:
        """If every other criteria (competency) cell ends a sentence, the last one must too."""
        competencies = [c for b in self.blocks for c in b.competencies]
        last = competencies[-1]
        columns = (
            ([clean(h) for c in competencies for _, h, _ in c.criteria], last.criteria[-1][0]),
            ([clean(" ".join(c.fragments)) for c in competencies], last.line),
        )
        for cells, line in columns:
            cells = [c for c in cells if c]
            if len(cells) < 5 or not all(c[-1] in layout.SENTENCE_ENDS for c in cells[:-1]):
                continue
            if cells[-1][-1] not in layout.SENTENCE_ENDS:
                raise self.fail(
                    f"le document s'arrête sur « …{cells[-1][-40:]} », phrase inachevée alors "
                    "que toutes les autres cellules de la colonne se terminent par un point : "
                    + _TRUNCATED,
                    line,
                )

    def _check_last_row(self) -> None:
        if self.last_row is None:
            return
        for cell in self.last_row.cells():
            text = clean(cell)
            cut = text and (
                text[-1] in ":;,(-–"
                or (len(sentences(text)) >= 2 and text[-1] not in layout.SENTENCE_ENDS)
            )
            if cut:
                raise self.fail(
                    f"le document s'arrête sur « …{text[-40:]} » : {_TRUNCATED}",
                    self.last_row.line,
                )

    # -- blocks and competencies --

    def _build_block(self, index: int, draft: _BlockDraft) -> Block:
        code = f"BC{index + 1:02d}"
        self.source_lines[f"block:{code}"] = draft.line
        title, rest = layout.block_title(draft.heading)
        if not title:
            raise self.fail(f"le bloc {draft.number} n'a pas d'intitulé", draft.line)
        description = "\n".join([*rest, *(clean(a) for a in draft.activities)]).strip()
        competencies = [self._build_competency(c) for c in draft.competencies]
        return Block(code=code, title=title, description=description, competencies=competencies)

    def _build_competency(self, draft: _CompetencyDraft) -> Competency:
        code = self._code(draft)
        self.source_lines[f"competency:{code}"] = draft.line
        tokens = tokenize(" ".join(draft.fragments))
        if tokens:
            tokens[0].text = layout.strip_competency_code(tokens[0].text)
        tokens = [t for t in tokens if t.text]
        split = next((i for i, t in enumerate(tokens) if t.is_item), len(tokens))
        title = strip_trailing(" ".join(t.text for t in tokens[:split]))
        rest = tokens[split:]
        if not title and rest:
            title, rest = strip_trailing(rest[0].text), rest[1:]
        if not title:
            raise self.fail(f"la compétence {code} n'a pas d'intitulé", draft.line)
        return Competency(
            code=code,
            title=title,
            description=flatten(rest, "\n"),
            criteria=self._build_criteria(draft),
        )

    def _build_criteria(self, draft: _CompetencyDraft) -> list[Criterion]:
        reader = CriteriaReader()
        for _, html, continuation in draft.criteria:
            reader.read(tokenize(html), continuation)
        owns = [draft.code[1:]]
        if self.restarts:  # « CR2.1.3 » under block 2's C1
            owns.append(f"{self.blocks[draft.block].number}.{draft.code[1:]}")
        for criterion in reader.criteria:
            number = criterion.code[2:] if criterion.code else ""
            # « CR1.2 » belongs to C1.2 (or to C1, numbered within it); a flat « CE3 » is
            # numbered within its competency, whatever it is.
            if "." in number and not any(
                number == own or number.startswith(own + ".") for own in owns
            ):
                self.warn(
                    WarningCode.CRITERIA_MISMATCH,
                    f"le critère {criterion.code} est rangé sous la compétence {self._code(draft)}",
                    draft.line,
                )
        return reader.criteria

    # -- exams --

    def _build_exam(self, block: Block, draft: _BlockDraft) -> Exam:
        exam = Exam(scope=block.code)
        self.source_lines[f"exam:{block.code}"] = (
            draft.methods[0].line if draft.methods else draft.line
        )
        if not draft.methods:
            self.warn(
                WarningCode.OTHER,
                f"{block.code} : aucune modalité d'évaluation dans le tableau",
                draft.line,
            )
        stated_total: int | None = None
        block_index = next(i for i, b in enumerate(self.blocks) if b is draft)
        for index, method_draft in enumerate(draft.methods):
            method, text, note, total = self._build_method(block.code, block_index, method_draft)
            self.source_lines[f"method:{block.code}:{index}"] = method_draft.line
            exam.methods.append(method)
            stated_total = stated_total if stated_total is not None else total
            if note and methods.text_key(note) not in map(methods.text_key, exam.requirements):
                exam.requirements.append(note)
            period = methods.company_period(text)
            if period and exam.company_period is None:
                exam.company_period = period.period
                if period.calendar_days:
                    self.warn(
                        WarningCode.OTHER,
                        f"{block.code} : « jours » compris comme jours ouvrés",
                        method_draft.line,
                    )
            from_method = method.kind is MethodKind.WRITTEN_PRODUCTION
            methods.add_productions(exam, methods.productions(text, from_method=from_method))
            exam.jury = exam.jury or methods.jury(text)
            if method.requires_supervision and not exam.supervision:
                exam.supervision = first_sentence(text)
        minutes = [m.duration_minutes for m in exam.methods]
        if stated_total is not None:
            exam.total_minutes = stated_total
        elif minutes and all(m is not None for m in minutes):
            exam.total_minutes = sum(m for m in minutes if m is not None)
        if draft.methods:
            announced = methods.announced_count(clean(draft.methods[0].fragments[0][1]))
            if announced and announced > len(draft.methods):
                self.warn(
                    WarningCode.OTHER,
                    f"{block.code} : {announced} modalités annoncées, "
                    f"{len(draft.methods)} trouvée(s)",
                    draft.methods[0].line,
                )
        return exam

    def _build_method(
        self, block_code: str, block_index: int, draft: _MethodDraft
    ) -> tuple[AssessmentMethod, str, str, int | None]:
        organisation, text, note = methods.method_texts(draft.html)
        title = methods.method_title(draft.fragments[0][1])
        kind = methods.classify(title, text)
        found = methods.durations(text)
        name = f"{_quote(title)}" + (f" ({draft.code})" if draft.code else "")
        if found.minutes is None:
            self.warn(
                WarningCode.OTHER,
                f"{block_code} : durée non indiquée pour la modalité {name}",
                draft.line,
            )
        elif found.summed:
            self.warn(
                WarningCode.OTHER,
                f"{block_code} : durée de la modalité {name} obtenue en additionnant les "
                "durées citées",
                draft.line,
            )
        explicit = self._explicit_references(block_code, block_index, draft)
        if explicit:
            codes = set(explicit) | {self._code(c) for c, via in draft.rows if via}
        else:
            codes = {self._code(c) for c, _ in draft.rows}
        order = {self._code(c): i for i, c in enumerate(self.competencies)}
        method = AssessmentMethod(
            kind=kind,
            title=title,
            duration_minutes=found.minutes,
            competencies=sorted(codes, key=lambda c: order.get(c, len(order))),
            organisation=organisation,
            requires_jury=kind in methods.ORAL_KINDS or "jury" in fold(text),
            requires_supervision="surveill" in fold(text),
            code=draft.code,
        )
        return method, text, note, found.total

    def _explicit_references(
        self, block_code: str, block_index: int, draft: _MethodDraft
    ) -> list[str]:
        """Competencies the method's text names, in order, looked up in its block first;
        unknown or ambiguous ones are warned about."""
        codes: list[str] = []
        for line, html in draft.fragments:
            text = clean(html)
            numbers = methods.referenced_numbers(text.split("----", 1)[0])
            leading = methods.leading_competency(text)
            if leading:
                numbers.insert(0, leading[1:])
            for number in numbers:
                code = f"C{number}"
                candidates = self._candidates(block_index, code)
                if not candidates:
                    self.warn(
                        WarningCode.UNKNOWN_REFERENCE,
                        f"la modalité cite la compétence {code}, absente du tableau",
                        line,
                    )
                    continue
                if len(candidates) > 1:
                    self.warn(
                        WarningCode.UNKNOWN_REFERENCE,
                        f"{block_code} : la modalité cite {code}, absente du bloc et présente "
                        f"dans plusieurs autres ({', '.join(map(self._code, candidates))}) : "
                        "référence ignorée",
                        line,
                    )
                    continue
                found = self._code(candidates[0])
                if candidates[0].block != block_index:
                    self.warn(
                        WarningCode.OTHER,
                        f"{block_code} : la modalité cite {found}, compétence d'un autre bloc",
                        line,
                    )
                if found not in codes:
                    codes.append(found)
        return codes

    # -- certification-wide requirements (after the table) --

    def _certification_exam(self) -> Exam | None:
        if not self.postamble:
            return None
        requirements = layout.logical_lines([text for _, text in self.postamble])
        exam = Exam(scope="certification")
        exam.requirements = [r for r, _ in requirements if len(r.split()) >= 5]
        training = [r for r, vae in requirements if not vae]  # not the VAE route
        period = methods.company_period(" ".join(training))
        if period:
            exam.company_period = period.period
            if period.calendar_days:
                self.warn(
                    WarningCode.OTHER, "« jours » compris comme jours ouvrés", self.postamble[0][0]
                )
        for requirement in training:
            methods.add_productions(exam, methods.productions(requirement, from_method=True))
        exam.jury = methods.jury(" ".join(training))
        if not (exam.requirements or exam.company_period or exam.productions or exam.jury):
            return None
        self.source_lines["exam:certification"] = self.postamble[0][0]
        return exam


def _referenced(
    drafts: list[_MethodDraft], label: str | None, code: str | None
) -> _MethodDraft | None:
    """The method « Voir évaluation 2 » (label) or « cf. E2 » (code) points at; « E2 » also
    names a method labelled « Épreuve 2 » that has no code of its own."""
    code = code.replace(" ", "").upper() if code else None
    for draft in drafts:
        if label and draft.label == label:
            return draft
        if code and (draft.code == code or (draft.code is None and f"E{draft.label}" == code)):
            return draft
    return None


def _find(competencies: list[_CompetencyDraft], code: str) -> _CompetencyDraft | None:
    return next((c for c in competencies if c.code == code), None)


def _among(warning: ImportWarning, warnings: list[ImportWarning]) -> bool:
    return any(warning is w for w in warnings)


def _quote(text: str) -> str:
    return f"« {shorten(text, 80, ellipsis=True)} »"


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", code))
