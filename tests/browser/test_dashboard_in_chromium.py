"""The dashboard in headless Chromium: the day's decision, explanation and chart are on the page.

Debian's ``chromium`` (``/usr/bin/chromium``) is driven by Playwright; no browser is
downloaded. The page may load nothing from outside 127.0.0.1: every other request is refused
and makes the test fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USER, PASSWORD = "athlete", "dash-pass-Q7w3e"
SECRETS = {
    "LANTERNE_DASHBOARD_PASSWORD": PASSWORD,
    "OPENAI_API_KEY": "sk-test-fake0123456789abcdef",
    "TELEGRAM_BOT_TOKEN": "123456789:AAH-fake-token-for-tests-only-000000000",
    "LANTERNE_SMTP_PASSWORD": "smtp-pass-Zq81x",
}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; CI does)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(database: Path, days: int = 3) -> StateStore:
    store = StateStore(f"sqlite:///{database}")
    first = date(2026, 3, 8)
    for offset in range(days):
        day = first + timedelta(days=offset)
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )
    return store


def _wait_until_serving(url: str, server: subprocess.Popen[str], deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the dashboard exited: {server.communicate()[1]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the dashboard did not answer on {url} within {deadline_s} s")


def test_dashboard_shows_decision_explanation_and_chart(lanterne_env: Path, tmp_path: Path) -> None:
    from playwright import sync_api as playwright  # the [test] extra has it, and Gradio

    store = _seed(lanterne_env / "home" / "lanterne.db")
    view = load_day_view(store, DEMO_ATHLETE)
    store.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "lanterne_rouge", "dashboard", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | SECRETS,
    )
    outside: list[str] = []
    try:
        _wait_until_serving(url, server, deadline_s=30)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def local_only(route: playwright.Route) -> None:
                if urlsplit(route.request.url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", local_only)
            page.goto(url)
            page.get_by_label("username").fill(USER)  # a password is set: Gradio asks for it
            page.get_by_label("password").fill(PASSWORD)
            page.get_by_role("button", name="Login").click()
            page.wait_for_selector("#lr-decision", timeout=20_000)
            page.wait_for_selector("svg.lr-chart path")

            assert view.decision.action.upper() in page.inner_text("#lr-decision")
            assert view.decision.rule in page.inner_text("#lr-decision")
            assert view.report.explanation in page.inner_text("#lr-explanation")
            assert view.plan.workout.name in page.inner_text("#lr-workout")
            assert page.locator("#lr-pmc svg.lr-chart").count() == 1
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            html = page.content()
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert not outside, f"the page tried to load from outside: {outside}"
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    for secret in SECRETS.values():
        assert secret not in html
