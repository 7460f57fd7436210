"""The price table: validated, dated, and unknown prices kept unknown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lanterne_rouge.ai.pricing import cost_usd, estimate_tokens, load_prices, worst_case_usd
from lanterne_rouge.errors import ConfigError


def test_the_bundled_table_is_dated_and_prices_the_small_models() -> None:
    prices = load_prices()
    assert prices.as_of >= date(2026, 1, 1)
    for model in ("gpt-4o-mini", "gpt-4.1-mini", "gpt-5-mini"):
        assert prices.price(model) is not None


def test_a_dated_model_name_is_priced_as_its_family() -> None:
    prices = load_prices()
    assert prices.price("gpt-4o-mini-2024-07-18") == prices.price("gpt-4o-mini")


def test_cost_counts_cached_tokens_at_the_cached_rate() -> None:
    price = load_prices().price("gpt-4o-mini")
    # 100 uncached at 0.15, 40 cached at 0.075, 40 out at 0.60 (USD per million)
    assert cost_usd(price, 140, 40, 40) == pytest.approx((100 * 0.15 + 40 * 0.075 + 40 * 0.6) / 1e6)


def test_an_unknown_model_or_token_count_has_unknown_cost_never_zero() -> None:
    prices = load_prices()
    assert cost_usd(prices.price("llama3.2"), 140, 0, 40) is None
    assert cost_usd(prices.price("gpt-4o-mini"), None, None, None) is None


def test_the_worst_case_uses_every_completion_token() -> None:
    price = load_prices().price("gpt-4o-mini")
    assert price is not None
    assert worst_case_usd(price, 200, 100) == pytest.approx((200 * 0.15 + 100 * 0.6) / 1e6)


def test_a_typo_in_a_price_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "prices.toml"
    path.write_text('as_of = 2026-01-01\n[models."m"]\ninput = 1\noutput = 2\ncahced = 1\n')
    with pytest.raises(ConfigError, match=r"prices.toml: models.m.cahced: unknown key"):
        load_prices(path)


def test_the_token_estimate_is_not_below_a_chars_over_four_count() -> None:
    messages = [{"role": "user", "content": "x" * 400}]
    assert estimate_tokens(messages) >= 100
