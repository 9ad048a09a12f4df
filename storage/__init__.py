"""SQLite storage through sqlite-utils: the numbered migrations (`storage.migrations`), the
connection and its transactions (`storage.db`), and one module a record: references, drafts,
referrals, events, plans, the board's requests for information, the outbox, findings and actions,
learning briefs, the partners' presses, the retention schedule and people's rights.

Imports nothing of ours. Every function takes the `sqlite_utils.Database` from `storage.db.open_db`
first, plain values after it, and returns small frozen dataclasses; nothing outside this package
writes SQL. Times are passed in by the caller as timezone-aware datetimes (so tests control the
clock) and stored as ISO-8601 text in UTC (`storage.timestamps`).
"""
