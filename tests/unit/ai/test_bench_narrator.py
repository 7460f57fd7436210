"""The narrator benchmark runs end to end against the local test server (as CI runs it)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_narrator.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_narrator", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_reports_acceptance_reasons_tokens_latency_and_cost() -> None:
    lines = load_bench().main(["--self-test", "--limit", "10", "--deadline", "5"])
    report = "\n".join(lines)

    assert lines[0] == "10 scenario days, plain answers"
    assert "model gpt-4o-mini: 10 days" in report
    accepted = next(line for line in lines if line.startswith("  accepted"))
    ok = int(accepted.split()[1].split("/")[0])
    rejected = [int(line.split()[-1]) for line in lines if line.startswith("  rejected")]
    assert ok + sum(rejected) == 10
    assert ok >= 6  # the server answers 8 of the 10 days with the day's own offline text
    assert "tokens            prompt median 140" in report
    assert "latency           median" in report and "per athlete-month" in report
