"""`triage-bot diagram`: print the practitioner dialog's state machine as a Mermaid diagram.

Imports no `telegram`: the diagram is generated from the dialog machine itself.
"""

from __future__ import annotations

import argparse
import sys

from bot.commands.common import add_flags


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The diagram command's options."""
    add_flags(
        parser,
        {
            "--forward": "only the forward flow (leave out the back and change-an-answer edges)",
            "--markdown": "wrap the diagram in a ```mermaid fence, ready for a Markdown file",
        },
    )


def run(args: argparse.Namespace) -> int:
    """Print the diagram on stdout; exit status 0."""
    from dialogs.core.machine import machine_for
    from dialogs.diagram import mermaid
    from dialogs.questions import CHECK

    text = mermaid(machine_for(CHECK), forward=args.forward)
    if args.markdown:
        text = f"```mermaid\n{text}```\n"
    sys.stdout.write(text)
    return 0
