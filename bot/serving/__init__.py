"""How the application runs: its one lifecycle (`lifecycle.running`), long polling that
confirms an update only once it was handled (`polling`), and the webhook that answers
Telegram only once it was handled (`webhook`)."""
