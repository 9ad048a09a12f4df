"""`triage-bot demo [--port N] [--no-browser] [--profile 2013|wt2023]`: the whole system
offline, with a web page.

Starts, in this one process on 127.0.0.1, a local Telegram-compatible Bot API server, the bot
as `triage-bot run` builds it (with a throwaway database) and a page where one person plays
the practitioner, a board officer and the independent chair (with `--profile wt2023`: the
three safeguarding partners' leads in the chair's place, who decide jointly). Prints the
page's address and opens it in a browser when there is a screen. Ctrl-C (SIGINT) or SIGTERM
stops everything, removes the temporary database and exits 0. Imports `telegram` only inside
`run()`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import threading
import webbrowser

from bot.settings import Settings, SettingsError, has_desktop, load_only

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--port N` (default: a free port) and `--no-browser`."""
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="port of the page (and of the local Bot API server); default: a free port",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="only print the address; open no browser"
    )
    parser.add_argument(
        "--profile",
        choices=("2013", "wt2023"),
        default="2013",
        help="the matrix profile: 2013 (the chair decides) or wt2023 (the three partners decide)",
    )


def has_screen() -> bool:
    """Whether opening a browser can show a window (never a text browser in this terminal)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return has_desktop()


def open_browser(url: str) -> None:
    """Open `url` in the desktop's browser, without waiting for it."""
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def run(args: argparse.Namespace) -> int:
    """Run the demo until Ctrl-C or SIGTERM; 0 when stopped cleanly, 1 if it failed."""
    if not 0 <= args.port <= 65535:
        print(f"triage-bot demo: --port must be 0 to 65535, got {args.port}", file=sys.stderr)
        return 2
    try:  # the demo logs warnings unless LOG_LEVEL says otherwise
        log_level = load_only(["LOG_LEVEL"], defaults=Settings(log_level="WARNING")).log_level
    except SettingsError as exc:
        print(f"triage-bot demo: {exc}", file=sys.stderr)
        return 2
    browser = not args.no_browser and has_screen()
    try:
        return asyncio.run(_main(args.port, browser, args.profile, log_level))
    except OSError as exc:
        print(f"triage-bot demo: cannot start: {exc}", file=sys.stderr)
        return 1


async def _main(port: int, browser: bool, profile: str = "2013", log_level: str = "WARNING") -> int:
    from bot.logs import configure_logging
    from demo import Demo

    demo = Demo(port=port, log_level=log_level, profile=profile)
    configure_logging(log_level, demo.api.token)
    stop = asyncio.Event()
    status = 0
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    try:
        await demo.start()
        print(
            f"The triage bot demo is running: open {demo.url} in your browser.\n"
            f"  Invite code for the practitioner: {demo.invite_code} "
            f'(the page\'s "Register with invite" button sends /start {demo.invite_code}).\n'
            "  Everything runs on this computer; the database is temporary.\n"
            "  Press Ctrl-C to stop.",
            flush=True,
        )
        if browser:
            open_browser(demo.url)
        if not await demo.wait(stop):
            print("triage-bot demo: the bot stopped unexpectedly; stopping.", file=sys.stderr)
            status = 1
        print("Stopping the demo...", flush=True)
    finally:
        await demo.stop()
        for sig in STOP_SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(sig)
    print("Demo stopped; its temporary database is removed.", flush=True)
    return status
