"""The canonical JSON: lossless round trip, the documented JSON Schema, defects reported."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from attesta.referentiels import enums
from attesta.referentiels.importers import canonical as c
from attesta.referentiels.importers.canonical_json import dumps
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.reader import parse
from tests.conftest import SEED_FILES, parsed_seed
from tests.referentiels.builders import small_referentiel

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "referentiel.schema.json").read_text()
)


def test_dict_round_trip_of_a_handwritten_referentiel_is_lossless():
    referentiel = small_referentiel()
    assert c.Referentiel.from_dict(referentiel.to_dict()) == referentiel


@pytest.mark.parametrize("key", SEED_FILES)
def test_json_round_trip_of_each_seed_gives_the_same_referentiel(key):
    referentiel = parsed_seed(key)
    text = dumps(referentiel)
    again = parse(text.encode(), filename=f"{key}.json")
    assert again == referentiel
    assert dumps(again) == text


@pytest.mark.parametrize("key", SEED_FILES)
def test_each_seed_export_validates_against_the_documented_schema(key):
    jsonschema.validate(json.loads(dumps(parsed_seed(key))), SCHEMA)


def test_schema_rejects_an_unknown_method_kind():
    data = small_referentiel().to_dict()
    data["exams"][0]["methods"][0]["kind"] = "interrogation surprise"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_schema_documents_the_keys_the_issue_requires():
    props = SCHEMA["properties"]
    for key in ("code", "acronym", "title", "level", "kind", "blocks", "exams", "warnings"):
        assert key in props
    defs = SCHEMA["$defs"]
    assert {"code", "title", "competencies"} <= set(defs["block"]["properties"])
    assert {"code", "title", "criteria"} <= set(defs["competency"]["properties"])
    assert "text" in defs["criterion"]["properties"]
    assert {"scope", "methods", "total_minutes", "jury_minutes", "company_period"} <= set(
        defs["exam"]["properties"]
    )
    assert {"kind", "duration_minutes", "competencies"} <= set(defs["method"]["properties"])
    assert set(defs["company_period"]["properties"]) == {"amount", "unit"}


def test_method_kinds_of_schema_and_canonical_model_are_the_same_list():
    assert set(SCHEMA["$defs"]["method"]["properties"]["kind"]["enum"]) == {
        m.value for m in c.MethodKind
    }
    assert enums.choices(enums.MethodKind)[0] == (
        "professional_situation",
        "Mise en situation professionnelle",
    )


def test_canonical_json_with_unknown_competency_reference_is_refused_with_its_field():
    data = small_referentiel().to_dict()
    data["exams"][0]["methods"][0]["competencies"].append("CP99")
    with pytest.raises(ImportFailure) as caught:
        parse(json.dumps(data).encode(), filename="bad.json")
    assert caught.value.field == "exams[0].methods[0].competencies"
    assert "CP99" in str(caught.value)
    assert str(caught.value).startswith("bad.json, ligne 1")


def test_canonical_json_with_duplicate_competency_codes_is_refused():
    data = small_referentiel().to_dict()
    data["blocks"][1]["competencies"][0]["code"] = "CP1"
    with pytest.raises(ImportFailure, match="codes en double : CP1"):
        parse(json.dumps(data).encode(), filename="bad.json")


def test_canonical_json_with_an_unknown_field_is_refused():
    data = small_referentiel().to_dict()
    data["blocks"][0]["colour"] = "blue"
    with pytest.raises(ImportFailure, match="unknown field"):
        parse(json.dumps(data).encode(), filename="bad.json")


def test_invalid_json_error_gives_the_line():
    with pytest.raises(ImportFailure) as caught:
        parse(b'{\n  "format": "attesta-referentiel/1",\n  "code": \n}', filename="cut.json")
    assert caught.value.line == 4
