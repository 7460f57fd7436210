"""The morning message by email (SMTP) or Telegram, each day at most once per channel.

``message`` composes it from the day's view, ``channels`` sends it, ``deliver`` retries
transient failures and records every outcome in the ``ledger``.
"""
