"""SQLite storage (sqlite-utils): migrations, transactions, references, drafts, referrals, events
and the outbox.

Imports nothing of ours. Every function takes the `sqlite_utils.Database` from `storage.db.open_db`
first, plain values after it, and returns small frozen dataclasses; nothing outside this package
writes SQL. Times are passed in by the caller as timezone-aware datetimes (so tests control the
clock) and stored as ISO-8601 text in UTC.
"""
