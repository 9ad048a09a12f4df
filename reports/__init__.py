"""Documents for people outside the chat, with no Telegram in them: the annual learning and
improvement update (figures, charts, Markdown and HTML) and a review's Terms of Reference."""
