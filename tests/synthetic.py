"""Synthetic cases the tests share: whole checks by the SPEC §2 option labels, descriptions.

A path is a list of (label to press, key phrase of the next question). Every person and number
here is made up; the NHS number has a valid check digit and the phone number is one of
Ofcom's drama numbers, so the privacy guard must remove both.
"""

from __future__ import annotations

DESCRIPTION = (
    "Child aged 4 known to services died after a head injury at home; NHS 943 476 5919, "
    "mother's phone 07700 900123. Health visitor had raised concerns twice."
)

# Known abuse and the child died: Catastrophic. Up to the agencies question.
CATASTROPHIC_PATH: list[tuple[str, str]] = [
    ("I understand", "immediate risk"),
    ("No", "good practice"),
    ("A concern", "abuse or neglect"),
    ("Known", "died"),
    ("Yes", "custody"),
    ("No", "suicide"),
    ("No", "sexual abuse"),
    ("No", "domestic homicide"),
    ("No", "charged with neglect"),
    ("No", "missing education"),
    ("No", "child protection plan"),
    ("Done", "worked together"),
    ("Cause for concern", "standards"),
    ("Professional or statutory", "agencies"),
]

# Taken to hospital for treatment, nothing worse: Moderate. Up to the agencies question.
MODERATE_PATH: list[tuple[str, str]] = [
    ("I understand", "immediate risk"),
    ("No", "good practice"),
    ("A concern", "abuse or neglect"),
    ("Suspected", "died"),
    ("No", "seriously harmed"),
    ("No", "injury"),
    ("Taken to hospital for treatment", "permanent disability"),
    ("No", "sexual abuse"),
    ("No", "domestic homicide"),
    ("No", "self-harm"),
    ("No", "charged with neglect"),
    ("No", "missing education"),
    ("No", "child protection plan"),
    ("Done", "worked together"),
    ("Some curiosity", "standards"),
    ("Internal policy or procedure", "agencies"),
]

# Suspected sexual abuse of a child treated in hospital: Severe, no statutory flag.
SEVERE_PATH: list[tuple[str, str]] = [
    (label, phrase) if phrase != "domestic homicide" else ("Yes", phrase)
    for label, phrase in MODERATE_PATH
]

# Sharing good practice: straight to the agencies question.
GOOD_PRACTICE_PATH: list[tuple[str, str]] = [
    ("I understand", "immediate risk"),
    ("No", "good practice"),
    ("Good practice", "agencies"),
]
