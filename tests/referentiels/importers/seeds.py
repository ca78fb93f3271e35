"""Where the seed référentiels are, and their file names, for the importer tests."""

from __future__ import annotations

from tests.conftest import SEED_FILES, SEEDS

CC = SEED_FILES["cc"]
NTC = SEED_FILES["ntc"]
ATTACHE = SEED_FILES["attache"]
DEVELOPPEMENT = SEED_FILES["devco"]
CHARGE = SEED_FILES["charge"]
MINISTRY_SEEDS = (CC, NTC)
CERTIFIER_SEEDS = (ATTACHE, DEVELOPPEMENT, CHARGE)

__all__ = [
    "ATTACHE",
    "CC",
    "CERTIFIER_SEEDS",
    "CHARGE",
    "DEVELOPPEMENT",
    "MINISTRY_SEEDS",
    "NTC",
    "SEEDS",
]
