"""Reminders (JobQueue): referrals waiting on the chair too long, plan deadlines passed."""

from __future__ import annotations

from bot.context import App


def start(app: App) -> None:
    """Schedule the daily reminder job."""
    assert app.job_queue is not None
