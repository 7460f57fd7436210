"""No secret reaches a page, a report, a message, the log or the database."""

from __future__ import annotations

from pathlib import Path

import msgspec
from local_servers import (
    BOT_TOKEN,
    SMTP_PASSWORD,
    BotApi,
    Mailbox,
    cli,
    email_env,
    telegram_env,
)

from lanterne_rouge.dashboard.data import page
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.demo import DEMO_ATHLETE, demo_mission

SECRETS = {
    "OPENAI_API_KEY": "sk-test-fake0123456789abcdef",
    "HF_TOKEN": "hf_fakeTokenForTests0123",
    "LANTERNE_DASHBOARD_PASSWORD": "dash-pass-Q7w3e",
}


def test_fake_secrets_appear_nowhere_the_athlete_or_a_reader_of_logs_looks(
    lanterne_env: Path, mailbox: Mailbox, bot_api: BotApi
) -> None:
    env = email_env(mailbox.port) | telegram_env(bot_api) | SECRETS
    env["LANTERNE_LOG_LEVEL"] = "DEBUG"
    bot_api.script.append((401, {"ok": False, "description": "Unauthorized"}))  # an error path
    runs = [cli("run", "--date", day, env=env) for day in ("2026-03-09", "2026-03-10")]
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    assert "The telegram message could not be sent" in runs[0].stdout
    assert "kept owed" in runs[0].stdout
    # the next run sends the message the refused token kept owed, then its own
    assert len(mailbox.messages) == 2 and len(bot_api.requests) == 3

    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    shown = page(store, DEMO_ATHLETE, None, mission_for=lambda _a, day: demo_mission(day))
    dashboard = "".join(msgspec.structs.asdict(shown.sections).values()) + str(shown.history)
    dashboard += shown.fitness.to_json() + shown.trends.to_json()
    store.close()
    assert "Lanterne Rouge: 2026-03-10" in dashboard
    output = lanterne_env / "output"
    seen = {
        "stdout and log": "".join(r.stdout + r.stderr for r in runs),
        "reports": "".join(p.read_text() for p in sorted(output.glob("report-*.html"))),
        "reasoning log": (output / "reasoning_log.csv").read_text(),
        "emails": "".join(m.content.decode() for m in mailbox.messages),
        "telegram bodies": "".join(raw.decode() for raw in bot_api.raw),
        "dashboard": dashboard,
        "database": (lanterne_env / "home" / "lanterne.db").read_bytes().decode("latin-1"),
    }
    assert "event='message sent'" in seen["stdout and log"]  # the log was really captured
    assert len(seen["reports"]) > 10_000
    for secret in [SMTP_PASSWORD, BOT_TOKEN, *SECRETS.values()]:
        leaks = [where for where, text in seen.items() if secret in text]
        assert not leaks, f"{secret[:6]}… found in {leaks}"
