"""One module per `triage-bot` subcommand; each exposes `add_arguments(parser)` and `run(args)`."""
