"""The CLI: convert (no database), import (report), export; exit status 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from attesta.referentiels import models
from attesta.referentiels.importers.canonical_json import dumps
from tests.conftest import SEED_FILES, SEEDS, parsed_seed

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_convert_prints_the_canonical_json_and_writes_nothing(capsys):
    call_command("convert_referentiel", str(SEEDS / SEED_FILES["cc"]))
    out = capsys.readouterr().out
    assert out == dumps(parsed_seed("cc"))
    assert json.loads(out)["code"] == "TP-00115"
    assert models.Certification.objects.count() == 0


@pytest.mark.django_db
def test_import_stores_a_draft_and_prints_the_report(capsys):
    call_command("import_referentiel", str(SEEDS / SEED_FILES["ntc"]))
    out = capsys.readouterr().out
    version = models.CertificationVersion.objects.get()
    assert version.status == "draft"
    assert "TP-00338" in out
    assert "brouillon" in out
    assert f"{len(version.warnings)} avertissement(s)" in out
    assert "[unassessed_competency]" in out


@pytest.mark.django_db
def test_import_publish_then_export_round_trips(capsys):
    call_command("import_referentiel", str(SEEDS / SEED_FILES["charge"]), "--publish")
    capsys.readouterr()
    code = parsed_seed("charge").code
    call_command("export_referentiel", code)
    assert capsys.readouterr().out == dumps(parsed_seed("charge"))
    assert models.CertificationVersion.objects.get().is_published


@pytest.mark.django_db
def test_export_of_a_given_version_and_of_an_unknown_one(capsys):
    call_command("import_referentiel", str(SEEDS / SEED_FILES["cc"]))
    capsys.readouterr()
    label = parsed_seed("cc").version
    call_command("export_referentiel", "TP-00115", "--version", label)
    assert json.loads(capsys.readouterr().out)["version"] == label
    with pytest.raises(CommandError) as caught:
        call_command("export_referentiel", "TP-00115", "--version", "77")
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_import_of_a_bad_file_fails_with_status_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "vide.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match=r"vide\.txt : le fichier est vide") as caught:
        call_command("import_referentiel", str(bad))
    assert caught.value.returncode == 2
    assert models.Certification.objects.count() == 0


@pytest.mark.django_db
def test_import_with_an_unknown_organisation_fails_with_status_2():
    with pytest.raises(CommandError, match="inconnue") as caught:
        call_command("import_referentiel", str(SEEDS / SEED_FILES["cc"]), "--organisation", "nope")
    assert caught.value.returncode == 2


def test_the_attesta_console_command_exits_2_on_bad_input(tmp_path):
    bad = tmp_path / "image.bin"
    bad.write_bytes(b"\x89PNG\x00\x00")
    attesta = Path(sys.executable).with_name("attesta")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run(
        [str(attesta), "convert", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "image.bin, ligne 1 : le fichier est binaire" in result.stderr
    assert result.stdout == ""


def test_the_attesta_console_command_converts_a_seed(tmp_path):
    attesta = Path(sys.executable).with_name("attesta")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run(
        [str(attesta), "convert", str(SEEDS / SEED_FILES["devco"])],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(result.stdout)["blocks"][0]["code"] == "BC01"


@pytest.mark.django_db
def test_import_can_name_a_certification_whose_document_has_no_title(capsys):
    call_command(
        "import_referentiel",
        str(SEEDS / SEED_FILES["devco"]),
        "--title",
        "Développement commercial",
        "--code",
        "RNCP00000",
        "--millesime",
        "2025",
    )
    version = models.CertificationVersion.objects.select_related("certification").get()
    assert version.certification.title == "Développement commercial"
    assert version.certification.code == "RNCP00000"
    assert version.version == "2025"
    assert "RNCP00000 « Développement commercial », millésime 2025" in capsys.readouterr().out
