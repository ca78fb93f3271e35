"""Jury pages: the assessor's candidates and grids, the consolidation, the deliberation, the
minutes and their signatures, the session manager's results and the candidate's own results.

Every page is scoped to who sits where (``JuryMember``); every write goes through
``attesta.evaluation.services``, the rules decide. Nothing of a candidate's disability (the
accommodation, the referent's opinion) reaches the assessor's pages: only the deliberation
page shows the referent's opinion on an exemption request."""
