"""The daily run read without Typer: the same options, the same day, the same printout as the
app's ``run``; anything else is left to the app."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app, main
from lanterne_rouge.cli.run_fast import RunOptions, parse_run, run_fast


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run"], RunOptions()),
        (["run", "--force"], RunOptions(force=True)),
        (
            ["run", "--date", "2026-03-10", "--athlete", "me", "--demo"],
            RunOptions(day=date(2026, 3, 10), athlete="me", demo=True),
        ),
        (
            ["run", "--athlete=ann", "--mission=m.toml", "--date=2026-3-1"],
            RunOptions(day=date(2026, 3, 1), athlete="ann", mission=Path("m.toml")),
        ),
    ],
    ids=["bare", "force", "spaced-values", "equals-values"],
)
def test_plain_run_options_are_read_as_the_app_reads_them(
    args: list[str], expected: RunOptions
) -> None:
    assert parse_run(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["history"],
        ["run", "--help"],
        ["run", "--date", "2026-13-01"],
        ["run", "--date"],
        ["run", "--athlete", "--force"],
        ["run", "--force", "--force"],
        ["run", "--force=yes"],
        ["run", "--colour"],
        ["run", "extra"],
    ],
    ids=[
        "no-command",
        "other-command",
        "help",
        "bad-date",
        "missing-value",
        "option-as-value",
        "twice",
        "flag-with-value",
        "unknown-option",
        "argument",
    ],
)
def test_anything_else_is_left_to_the_app(args: list[str]) -> None:
    assert parse_run(args) is None


def _printout(text: str, home: Path) -> str:
    return text.replace(str(home), "HOME")


def test_the_fast_path_prints_the_same_day_as_the_app(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = []
    for name in ("fast", "app"):
        home = lanterne_env / name
        monkeypatch.setenv("LANTERNE_HOME", str(home / "home"))
        monkeypatch.setenv("LANTERNE_OUTPUT_DIR", str(home / "output"))
        if name == "fast":
            assert run_fast(["run", "--date", "2026-03-10"])
            shown.append(_printout(capsys.readouterr().out, home))
        else:
            result = CliRunner().invoke(app, ["run", "--date", "2026-03-10"])
            assert result.exit_code == 0, result.output
            shown.append(_printout(result.output, home))
        assert (home / "output" / "reasoning_log.csv").is_file()
    assert "Decision: " in shown[0]
    assert shown[0] == shown[1]


def test_an_expected_error_is_one_line_and_a_status(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["lanterne-rouge", "run", "--date", "1800-01-01"])
    with pytest.raises(SystemExit) as exited:
        main()
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("lanterne-rouge: error: --date 1800-01-01: the coach runs days from")
    assert err.count("\n") == 1


def test_an_option_it_does_not_read_gets_the_apps_answer(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["lanterne-rouge", "run", "--date", "2026-13-01"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    assert "Invalid value for '--date'" in capsys.readouterr().err


@pytest.mark.parametrize("date_given", ["2026-03-10", "1800-01-01"], ids=["a-day", "an-error"])
def test_the_collector_is_off_during_the_run_and_on_again_after(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch, date_given: str
) -> None:
    import contextlib
    import gc

    from lanterne_rouge.cli import daily

    seen: list[bool] = []
    real = daily.run_day

    def watched(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(daily, "run_day", watched)
    assert gc.isenabled()
    with contextlib.suppress(SystemExit):  # the error's exit
        run_fast(["run", "--date", date_given])
    assert seen == [False]
    assert gc.isenabled()
