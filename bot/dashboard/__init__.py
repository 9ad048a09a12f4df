"""The board's dashboard (SPEC §10), a Telegram Mini App served by the bot's own process.

`initdata` checks who is asking (the Mini App's signed init data, with telegram-webapp-auth);
`views` builds each view's JSON from storage; `server` is the aiohttp application (the page
without data at `/`, the JSON API under `/api/`, every header and refusal) and `serving`, which
the one lifecycle enters; `menu` sets the menu button in each board member's private chat and
answers `/dashboard`.
"""
