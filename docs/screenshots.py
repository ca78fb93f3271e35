"""Take the README's screenshots: a throw-away demo database, the dev server, headless Chromium.

Run with `make screenshots`; writes PNG files into docs/screenshots/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PORT = "8765"
BASE = f"http://127.0.0.1:{PORT}"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3"}
        attesta = [sys.executable, "-m", "attesta.cli"]
        subprocess.run([*attesta, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*attesta, "demo"], env=env, check=True, cwd=ROOT, capture_output=True)
        server = subprocess.Popen(
            [*attesta, "runserver", f"127.0.0.1:{PORT}", "--noreload"], env=env, cwd=ROOT
        )
        try:
            for _ in range(50):
                try:
                    urllib.request.urlopen(f"{BASE}/comptes/connexion/")
                    break
                except OSError:
                    time.sleep(0.2)
            shoot()
        finally:
            server.terminate()
            server.wait()


def shoot() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page.goto(f"{BASE}/comptes/connexion/")
        page.get_by_label("Nom d’utilisateur").fill("responsable")
        page.get_by_label("Mot de passe").fill("responsable-demo-2026")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{BASE}/")
        page.goto(f"{BASE}/referentiels/")
        page.screenshot(path=OUT / "referentiels.png")
        page.goto(f"{BASE}/referentiels/TP-00338/")
        page.screenshot(path=OUT / "certification.png")
        page.locator("#epreuves").scroll_into_view_if_needed()
        page.locator("table.matrix").first.screenshot(path=OUT / "matrice.png")
        page.locator("#avertissements").screenshot(path=OUT / "avertissements.png")
        page.goto(f"{BASE}/referentiels/recherche/?q=prospecter")
        page.screenshot(path=OUT / "recherche.png")
        page.goto(f"{BASE}/candidats/")
        page.screenshot(path=OUT / "candidats.png")
        page.locator("main table a").first.click()
        page.locator("main table a").first.click()
        page.screenshot(path=OUT / "recevabilite.png", full_page=True)
        page.goto(f"{BASE}/sessions/")
        page.get_by_role("link", name=re.compile("^CC")).click()
        page.screenshot(path=OUT / "session.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
