"""The board's use cases, with no Telegram in them: filing a referral, deciding it, planning its
review, writing and approving a learning brief, acting on a review's actions.

Each use case is one function that takes the `Database`, plain values and the clock, opens its
own transaction, records its events, queues what must be sent (outbox rows), and returns what
happened. The adapter (`bot/`) parses an update, calls one function here, and replies.
"""
