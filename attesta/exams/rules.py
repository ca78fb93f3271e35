"""Jury composition rules: pure functions over plain data, tested with the référentiels."""

from __future__ import annotations

from dataclasses import dataclass

from attesta.referentiels.importers.canonical import Jury

MINIMUM_JURY = 2


@dataclass(frozen=True)
class Member:
    name: str
    panel: str
    profile: str = ""
    trained: frozenset[str] = frozenset()  # candidates this member trained


def jury_problems(
    members: list[Member], *, candidates: list[str], required: Jury | None
) -> list[str]:
    """Everything that makes a session's jury invalid, in French; empty when it is valid.

    - each panel has at least two members (and the référentiel's number when it says more);
    - every profile the référentiel requires (e.g. the certifier's and the profession's
      representatives) is held in each panel;
    - every candidate can be assessed by a panel without their own trainer."""
    problems: list[str] = []
    panels: dict[str, list[Member]] = {}
    for member in members:
        panels.setdefault(member.panel, []).append(member)
    if not panels:
        return [f"Aucun membre de jury : il en faut au moins {MINIMUM_JURY}."]
    needed = max(MINIMUM_JURY, required.members or 0) if required else MINIMUM_JURY
    for panel, people in sorted(panels.items()):
        if len(people) < needed:
            problems.append(f"{panel} : {len(people)} membre(s), il en faut au moins {needed}.")
        held = {m.profile for m in people}
        for profile in required.profiles if required else []:
            if profile not in held:
                problems.append(f"{panel} : aucun membre n'a le profil « {profile} ».")
    for candidate in candidates:
        free = [
            panel
            for panel, people in panels.items()
            if not any(candidate in m.trained for m in people)
        ]
        if not free:
            problems.append(
                f"{candidate} : chaque jury compte l'un de ses formateurs, qui ne peut pas "
                "l'évaluer."
            )
    return problems


def forbidden_panels(members: list[Member]) -> dict[str, set[str]]:
    """Candidate → panels that may not assess them (a trainer sits on it)."""
    forbidden: dict[str, set[str]] = {}
    for member in members:
        for candidate in member.trained:
            forbidden.setdefault(candidate, set()).add(member.panel)
    return forbidden
