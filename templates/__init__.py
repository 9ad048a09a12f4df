"""Every text a person reads, and the one jinja2 `Environment` that renders them.

Templates live beside this module (`dialog/`, and the other rooms' folders). Messages are sent
to Telegram with parse_mode HTML, so `.j2` and `.html` templates autoescape what they are given:
a practitioner's text always renders as text, never as markup.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent


@functools.cache
def environment() -> jinja2.Environment:
    """The one environment (built once): strict about missing values, autoescaping HTML. The
    templates are part of the release: they are read once, not checked for changes on every
    render (`auto_reload`, a stat of the file each time)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "j2"), default_for_string=True, default=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def render(name: str, **context: Any) -> str:
    """Render the template `name` (relative to this package) with `context`, stripped."""
    return environment().get_template(name).render(**context).strip()
