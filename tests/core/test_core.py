from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.env import env_bool, env_list, env_url, local_secret_key


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("ATTESTA_FLAG", raw)
    assert env_bool("ATTESTA_FLAG", not expected) is expected


def test_env_bool_refuses_a_bad_value(monkeypatch):
    monkeypatch.setenv("ATTESTA_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="ATTESTA_FLAG"):
        env_bool("ATTESTA_FLAG", False)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("ATTESTA_HOSTS", "a.example, b.example,")
    assert env_list("ATTESTA_HOSTS", []) == ["a.example", "b.example"]


def test_local_secret_key_is_created_once_private_and_reused(tmp_path):
    path = tmp_path / "var" / "secret_key"
    key = local_secret_key(path)
    assert len(key) >= 50
    assert path.stat().st_mode & 0o777 == 0o600
    assert local_secret_key(path) == key


def test_local_secret_key_refuses_a_truncated_file(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("short")
    with pytest.raises(ImproperlyConfigured, match="too short"):
        local_secret_key(path)


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("https://attesta.example.fr/", "https://attesta.example.fr"), ("", "")],
)
def test_env_url_reads_an_address_without_trailing_slash(monkeypatch, raw, expected):
    monkeypatch.setenv("ATTESTA_URL", raw)
    assert env_url("ATTESTA_URL", "http://x") == expected


@pytest.mark.parametrize("raw", ["attesta.example.fr", "ftp://x", "https://a b"])
def test_env_url_refuses_what_is_not_an_address(monkeypatch, raw):
    monkeypatch.setenv("ATTESTA_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="ATTESTA_URL="):
        env_url("ATTESTA_URL", "")
