from __future__ import annotations

from pathlib import Path

import pytest

from attesta.referentiels.importers.canonical import Referentiel
from attesta.referentiels.importers.reader import parse

SEEDS = Path(__file__).resolve().parents[1] / "attesta" / "referentiels" / "seeds"
SEED_FILES = {
    "cc": "cc-tp-00115-reac-re.txt",
    "ntc": "ntc-tp-00338-reac-re.md",
    "attache": "attache-commercial.txt",
    "devco": "developpement-commercial.txt",
    "charge": "charge-developpement-commercial.txt",
}


def seed_bytes(key: str) -> bytes:
    return (SEEDS / SEED_FILES[key]).read_bytes()


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE']} {database.get('HOST') or ''} {database['NAME']}"


_parsed: dict[str, Referentiel] = {}


def parsed_seed(key: str) -> Referentiel:
    """A fresh parse of a seed (parsing is pure; the cache only saves time)."""
    if key not in _parsed:
        _parsed[key] = parse(seed_bytes(key), filename=SEED_FILES[key])
    return Referentiel.from_dict(_parsed[key].to_dict())


# Factories are imported inside the fixtures so that the pure importer tests need no Django.


@pytest.fixture
def organisation():
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Certificateur A", slug="certificateur-a")


@pytest.fixture
def other_organisation():
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Certificateur B", slug="certificateur-b")


@pytest.fixture
def manager(organisation):
    """Owner persona: a session manager of the organisation that owns the référentiels."""
    from tests.factories import UserFactory

    return UserFactory(username="responsable", manager=True, organisation=organisation)


@pytest.fixture
def colleague(organisation):
    """Team-member persona: same organisation, read-only role."""
    from tests.factories import UserFactory

    return UserFactory(username="jury", assessor=True, organisation=organisation)


@pytest.fixture
def outsider(other_organisation):
    """Outsider persona: a session manager of another organisation."""
    from tests.factories import UserFactory

    return UserFactory(username="intrus", manager=True, organisation=other_organisation)
