"""The dashboard in headless Chromium: pick an athlete and a day, hover the fitness chart,
read the stage race; every number is checked against the store.

Debian's ``chromium`` (``/usr/bin/chromium``) is driven by Playwright; no browser is
downloaded. The page may load nothing from outside 127.0.0.1: every other request is refused
and makes the test fail. Screenshots are kept under pytest's base temporary folder
(``screenshots/``), or in ``LANTERNE_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.memory.fitness_history import fitness_history
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.replay import replay_into
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE, load_scenario

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
REPO = Path(__file__).resolve().parents[2]
TOUR = REPO / "tests" / "agent_scenarios" / "tour_de_france"
USER, PASSWORD = "athlete", "dash-pass-Q7w3e"
SECRETS = {
    "LANTERNE_DASHBOARD_PASSWORD": PASSWORD,
    "OPENAI_API_KEY": "sk-test-fake0123456789abcdef",
    "TELEGRAM_BOT_TOKEN": "123456789:AAH-fake-token-for-tests-only-000000000",
    "LANTERNE_SMTP_PASSWORD": "smtp-pass-Zq81x",
}
HOVERED_DAY = date(2026, 7, 6)
LANTERNE = [sys.executable, "-m", "lanterne_rouge"]
SCENARIO = ["--athlete", SCENARIO_ATHLETE]  # shown first; the demo is offered by the picker

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; CI does)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(home: Path) -> None:
    """Two athletes: the demo (three days) and the Tour scenario (twelve, eight stages)."""
    home.mkdir(parents=True, exist_ok=True)
    store = StateStore(f"sqlite:///{home / 'lanterne.db'}")
    for offset in range(3):
        day = date(2026, 3, 8) + timedelta(days=offset)
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )
    scenario = load_scenario(TOUR)
    replay_into(store, load_scenario(TOUR, expected=scenario.expected[:12]))
    store.close()


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


@dataclass
class Dashboard:
    url: str
    home: Path
    env: dict[str, str]
    shots: Path
    outside: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def store(self) -> StateStore:
        return StateStore(f"sqlite:///{self.home / 'lanterne.db'}")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    root = tmp_path_factory.mktemp("dashboard")
    home = root / "home"
    _seed(home)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERNE_")} | SECRETS
    env |= {
        "LANTERNE_HOME": str(home),
        "LANTERNE_MISSION_FILE": str(REPO / "config" / "missions" / "tour_de_france_sim.toml"),
    }
    server = subprocess.Popen(
        [*LANTERNE, "dashboard", "--port", str(port), *SCENARIO],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    shots = Path(os.environ.get("LANTERNE_SCREENSHOTS") or tmp_path_factory.getbasetemp())
    found = Dashboard(f"http://127.0.0.1:{port}/", home, env, shots / "screenshots")
    try:
        _wait_until_serving(found.url, server, deadline_s=40)
        yield found
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert not found.outside, f"the page tried to load from outside: {found.outside}"
    for html in found.pages:
        for secret in SECRETS.values():
            assert secret not in html


@pytest.fixture
def page(dashboard: Dashboard) -> Iterator[Any]:
    from playwright import sync_api as playwright  # the [test] extra has it

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 1000})

        def local_only(route: playwright.Route) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                dashboard.outside.append(route.request.url)
                route.abort()

        context.route("**/*", local_only)
        tab = context.new_page()
        tab.goto(dashboard.url)
        tab.get_by_label("username").fill(USER)  # a password is set: Gradio asks for it
        tab.get_by_label("password").fill(PASSWORD)
        tab.get_by_role("button", name="Login").click()
        tab.wait_for_selector("#lr-decision", timeout=30_000)
        yield tab
        dashboard.pages.append(tab.content())
        browser.close()


def _pick(page: Any, picker: str, value: str) -> None:
    page.locator(f"{picker} input").click()
    page.get_by_role("option", name=value, exact=True).click()


def _shot(page: Any, dashboard: Dashboard, name: str) -> Path:
    dashboard.shots.mkdir(parents=True, exist_ok=True)
    path = dashboard.shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20_000
    return path


def test_picking_an_athlete_and_a_day_shows_that_days_decision(
    page: Any, dashboard: Dashboard
) -> None:
    _pick(page, "#lr-athlete", DEMO_ATHLETE)
    page.wait_for_function("document.querySelector('#lr-day input').value === '2026-03-10'")
    _pick(page, "#lr-day", "2026-03-09")
    page.wait_for_selector("text=Lanterne Rouge: 2026-03-09", timeout=20_000)
    store = dashboard.store()
    view = load_day_view(store, DEMO_ATHLETE, date(2026, 3, 9))
    store.close()
    decision = page.inner_text("#lr-decision")
    assert view.decision.action.upper() in decision and view.decision.rule in decision
    for e in view.decision.evidence:
        assert e.name in decision
    assert view.report.explanation in page.inner_text("#lr-explanation")
    assert view.plan.workout.name in page.inner_text("#lr-workout")
    history = page.inner_text("#lr-history")
    assert "2026-03-09" in history and "2026-03-10" not in history
    print(_shot(page, dashboard, "dashboard-demo-2026-03-09"))


def test_hovering_the_chart_shows_the_days_fitness_from_the_store(
    page: Any, dashboard: Dashboard
) -> None:
    page.wait_for_selector("#lr-fitness .js-plotly-plot .main-svg", timeout=20_000)
    # the mouse moves in the viewport: bring the chart into it, however tall the cards above
    page.locator("#lr-fitness .js-plotly-plot").scroll_into_view_if_needed()
    where = page.evaluate(
        """(day) => {
            const gd = document.querySelector('#lr-fitness .js-plotly-plot');
            const box = gd.getBoundingClientRect();
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const trace = gd.data.find((t) => t.name === 'CTL fitness');
            const i = trace.x.findIndex((x) => String(x).startsWith(day));
            return [box.left + xa._offset + xa.d2p(trace.x[i]),
                    box.top + ya._offset + ya.d2p(trace.y[i])];
        }""",
        HOVERED_DAY.isoformat(),
    )
    page.mouse.move(where[0], where[1])
    label = page.wait_for_selector("#lr-fitness .hoverlayer .hovertext", timeout=10_000)
    text = label.text_content() or ""
    store = dashboard.store()
    (point,) = fitness_history(store, SCENARIO_ATHLETE, HOVERED_DAY, since=HOVERED_DAY).points
    store.close()
    assert "Mon 06 Jul 2026" in text, text
    assert f"CTL {point.ctl:.1f}" in text and f"ATL {point.atl:.1f}" in text, text
    assert f"TSB {point.tsb:+.1f}" in text, text
    print(text, _shot(page, dashboard, "dashboard-hover"))


def test_the_stage_race_shows_the_same_points_as_the_history_command(
    page: Any, dashboard: Dashboard
) -> None:
    done = subprocess.run(
        [*LANTERNE, "history", "--kind", "stage_result", *SCENARIO, "--format", "json"],
        capture_output=True,
        text=True,
        env=dashboard.env,
        timeout=60,
        check=True,
    )
    results = {m["payload"]["stage"]["number"]: m["payload"] for m in json.loads(done.stdout)}
    stages = page.inner_text("#lr-stages")
    rows = [line.split("\t") for line in stages.splitlines() if line[:1].isdigit()]
    shown = {int(r[0]): (r[3], int(r[4])) for r in rows}
    assert shown == {n: (r["mode"], r["points"]) for n, r in results.items()}
    assert len(shown) == 8
    bonus = 15  # the breakaway hat-trick, stages 3-5
    total = sum(r["points"] for r in results.values()) + bonus
    assert f"Points so far: {total}" in stages
    print(_shot(page, dashboard, "dashboard-stage-race"))
