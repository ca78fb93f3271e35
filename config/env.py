"""Reading settings from the environment, refusing bad values. The only place os.environ is read."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of {sorted(_TRUE | _FALSE)}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    """An absolute http(s) address without a trailing slash, e.g. https://attesta.example.fr."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return ""
    if not raw.startswith(("http://", "https://")) or " " in raw:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected an address such as https://example.fr"
        )
    return raw.rstrip("/")


def local_secret_key(path: Path) -> str:
    """A random key created once for this installation and kept in ``path`` (mode 0600)."""
    if path.exists():
        key = path.read_text().strip()
        if len(key) < 40:
            raise ImproperlyConfigured(f"{path}: secret key too short; delete the file to renew it")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def use_default_settings() -> None:
    """For entry points (the ``attesta`` CLI): the production settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
