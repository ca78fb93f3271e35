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

from playwright.sync_api import Browser, Page, sync_playwright

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
        issued = subprocess.run(
            [*attesta, "shell", "-c", DELIBERATED_SESSION],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        session_id = issued.stdout.strip().splitlines()[-1]
        codes = subprocess.run(
            [*attesta, "documents", session_id],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        code = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", codes.stdout)[-1]
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
            shoot(int(session_id), code)
        finally:
            server.terminate()
            server.wait()


DELIBERATED_SESSION = (
    "from attesta.exams.models import ExamSession; "
    "print(ExamSession.objects.get(label='CC – session de juin 2026').pk)"
)


def login(browser: Browser, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page.goto(f"{BASE}/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(f"{username}-demo-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{BASE}/")
    return page


def shoot(session_id: int, code: str) -> None:
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
        page.goto(f"{BASE}/sessions/?quand=a-venir")
        page.get_by_role("link", name=re.compile("^CC")).click()
        page.screenshot(path=OUT / "session.png", full_page=True)
        page.get_by_role("link", name=re.compile("^Grille par jour")).click()
        page.screenshot(path=OUT / "planning.png")
        page.goto(f"{BASE}/sessions/?quand=a-venir")
        page.get_by_role("link", name=re.compile("^NTC")).first.click()
        page.get_by_role("link", name=re.compile("^Paramètres du planning")).click()
        page.screenshot(path=OUT / "parametres.png", full_page=True)
        page.goto(f"{BASE}/evaluation/sessions/{session_id}/resultats/")
        page.screenshot(path=OUT / "resultats.png", full_page=True)
        jury = login(browser, "jury")
        jury.goto(f"{BASE}/evaluation/")
        jury.screenshot(path=OUT / "mes-candidats.png")
        jury.locator("main a[href*='/modalites/']").first.click()
        jury.screenshot(path=OUT / "grille.png")
        jury.goto(f"{BASE}/evaluation/sessions/{session_id}/deliberation/")
        jury.locator("main a[href*='/deliberation/']").nth(1).click()
        jury.screenshot(path=OUT / "deliberation.png")
        jury.goto(f"{BASE}/evaluation/sessions/{session_id}/proces-verbal/")
        jury.screenshot(path=OUT / "proces-verbal.png")
        candidate = login(browser, "candidat")
        candidate.goto(f"{BASE}/evaluation/mes-resultats/")
        candidate.screenshot(path=OUT / "mes-resultats.png")
        public = browser.new_page(viewport={"width": 1280, "height": 700}, locale="fr-FR")
        public.goto(f"{BASE}/verifier/{code}/")
        public.screenshot(path=OUT / "verification.png")
        browser.close()


if __name__ == "__main__":
    main()
