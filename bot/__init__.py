"""Telegram adapter: settings, application wiring, handlers, dispatcher and the CLI."""
