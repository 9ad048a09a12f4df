"""`python -m bot` runs the `triage-bot` command line."""

from bot.cli import main

raise SystemExit(main())
