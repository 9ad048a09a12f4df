"""Fixtures for the dialog tests."""

from __future__ import annotations

import pytest
from dialog_helpers import new_dialog

from dialogs.practitioner import Conversation, PractitionerDialog


@pytest.fixture
def dialog() -> PractitionerDialog:
    return new_dialog()


@pytest.fixture
def conv(dialog: PractitionerDialog) -> Conversation:
    return dialog.start()
