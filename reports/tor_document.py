"""The Terms of Reference document of a planned review, as Markdown and as HTML (no Telegram).

Built from the referral (grade, route, flags, matched criteria, the chair's decision), its
complete review plan (with the period under review and the key lines of enquiry of SPEC §9), and
the framework's own words (`templates/tor/framework.j2`): the twelve purposes, and the process
items for the review's type (the five items of the process of every review report; for a review
other than a Serious Case Review, also the list "In other types of review"), with each section
of the plan citing the items it answers to. The framework's terms (SCR, the Board, the national
panel) are those of the referral's matrix profile.
The HTML template autoescapes; the Markdown template escapes free text with `md_escape`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.core.answers import answer_label, parse_period
from dialogs.plan_questions import DONE_STATE, PLAN
from matrix.engine import profile_matrix
from matrix.model import TERMS_2013
from reports.markdown import md_escape
from storage.plans import Plan
from storage.referrals import Referral
from templates import environment, labels, render

NOT_RECORDED = "Not recorded in the plan."


class PlanIncomplete(ValueError):
    """The referral has no complete review plan yet."""


@dataclass(frozen=True)
class TorDocument:
    """The rendered document and the file names it is sent under."""

    ref: str
    markdown: str
    html: str

    @property
    def html_name(self) -> str:
        """`ToR-<REF>.html`."""
        return f"ToR-{self.ref}.html"

    @property
    def markdown_name(self) -> str:
        """`ToR-<REF>.md`."""
        return f"ToR-{self.ref}.md"


def framework(terms: Mapping[str, str] | None = None) -> Any:
    """The framework's quoted words (the exported names of `tor/framework.j2`), in the terms of
    a matrix profile (the 2013 framework's own words by default)."""
    words = dict(TERMS_2013 if terms is None else terms)
    return environment().get_template("tor/framework.j2").make_module(vars={"terms": words})


def is_scr(referral: Referral) -> bool:
    """Whether the review is the profile's statutory review (a Serious Case Review, or an LCSPR
    under Working Together 2023: catastrophic grade or the `scr_required` flag)."""
    return referral.grade == "catastrophic" or bool(referral.flags.get("scr_required"))


def _quote(lists: Mapping[str, list[tuple[int, str]]], which: str, number: int) -> dict[str, Any]:
    text = dict(lists[which])[number]
    where = "Process" if which == "scr" else "Other types of review"
    return {"where": where, "number": number, "text": text}


def _sections(
    answers: Mapping[str, Any], fw: Any, terms: Mapping[str, str]
) -> list[dict[str, Any]]:
    lists = {"scr": fw.scr_process, "other": fw.other_process}

    def label(key: str) -> str:
        return answer_label(PLAN.by_id[key], answers[key])

    agencies = answers.get("iar_agencies") or []
    sections: list[tuple[str, str, list[str], str]] = [
        (
            "methodology",
            "Methodology",
            [label("methodology")]
            + (
                [f"Reason: {answers['methodology_reason']}"]
                if "methodology_reason" in answers
                else []
            ),
            "",
        ),
        (
            "iar_agencies",
            "Individual agency reviews",
            [f"Requested from: {', '.join(agencies)}" if agencies else "None requested."],
            "",
        ),
        (
            "family",
            "Involvement of the child and family",
            [
                "The child and family will be involved."
                if answers["family"] == "yes"
                else "The child and family will not be informed or involved."
            ],
            f"Decision recorded: {answers['family_reason']}" if answers["family"] == "no" else "",
        ),
        (
            "staff",
            "Involvement of front-line staff and volunteers",
            [
                "Front-line staff and volunteers will be involved."
                if answers["staff"] == "yes"
                else "Front-line staff and volunteers will not be informed or involved."
            ],
            f"Decision recorded: {answers['staff_reason']}" if answers["staff"] == "no" else "",
        ),
        (
            "panel",
            f"{terms['panel'][:1].upper()}{terms['panel'][1:]} consulted",
            [label("panel")],
            "",
        ),
        ("publication", "Publication and readership", [label("publication")], ""),
        ("period", "Period under review", [_period(answers.get("period"))], ""),
        ("enquiry", "Key lines of enquiry", _enquiries(answers.get("enquiry")), ""),
        (
            "timeline",
            "Timeline",
            [
                f"Individual agency reviews due: {_day(answers['iar_due'])}",
                f"Report due: {_day(answers['report_due'])}",
                f"Publication: {_day(answers['publication_date'])}",
            ],
            "",
        ),
        ("author", "Author", [str(answers["author"])], ""),
    ]
    return [
        {
            "title": title,
            "lines": lines,
            "decision": decision,
            "basis": [_quote(lists, which, n) for which, n in fw.basis[key]],
        }
        for key, title, lines, decision in sections
    ]


def _day(value: str) -> str:
    return dt.date.fromisoformat(value).strftime("%d %B %Y")


def _period(value: object) -> str:
    """The period under review in words ("From 01 September 2025 to 28 February 2026"), or
    that it was not recorded (a plan completed before the question was asked)."""
    period = parse_period(value) if isinstance(value, str) else None
    if period is None:
        return NOT_RECORDED
    start, end = period
    return f"From {_day(start.isoformat())} to {_day(end.isoformat())}"


def _enquiries(value: object) -> list[str]:
    """Each key line of enquiry, in order (the retention schedule's marker once erased; that
    none was recorded in a plan completed before the question was asked)."""
    if isinstance(value, str) and value:
        return [value]
    if not isinstance(value, list) or not value:
        return [NOT_RECORDED]
    return [str(line) for line in value]


def tor_context(referral: Referral, plan: Plan, generated: dt.date) -> dict[str, Any]:
    """Everything the two templates show."""
    if plan.state != DONE_STATE:
        raise PlanIncomplete(f"the review plan of {referral.ref} is not complete")
    matrix = profile_matrix(referral.profile)
    info = matrix.info(referral.grade)
    terms = matrix.terms
    fw = framework(terms)
    scr = is_scr(referral)
    flags = [rule.description for name, rule in matrix.flags.items() if referral.flags.get(name)]
    return {
        "ref": referral.ref,
        "review_type": terms["review"] if scr else " / ".join(info.review_types),
        "scr": scr,
        "grade": info.label,
        "original_grade": (
            matrix.label(referral.original_grade)
            if referral.original_grade != referral.grade
            else ""
        ),
        "route": list(matrix.review_types(referral.grade, referral.flags)),
        "type_of_review": info.type_of_review,
        "flags": flags,
        "matched": [
            {"grade": matrix.label(str(m["grade"])), "text": str(m["text"])}
            for m in referral.matched
        ],
        "agencies": list(referral.agencies),
        "matrix_version": referral.matrix_version,
        "decided": referral.decided_at.strftime("%d %B %Y") if referral.decided_at else "",
        "decision": referral.decision or "",
        "decision_reason": referral.decision_reason or "",
        "source": fw.source,
        "purposes_heading": fw.purposes_heading,
        "purposes": list(fw.purposes),
        "process": [(fw.scr_heading, list(fw.scr_process))]
        + ([] if scr else [(fw.other_heading, list(fw.other_process))]),
        "sections": _sections(plan.answers, fw, terms),
        "terms": terms,
        "decider": labels.phrase("decider", matrix.profile),
        "generated": generated.strftime("%d %B %Y"),
    }


def render_tor(referral: Referral, plan: Plan, generated: dt.date) -> TorDocument:
    """The ToR as Markdown and HTML; `PlanIncomplete` when the plan is not complete."""
    context = tor_context(referral, plan, generated)
    markdown = render("tor/tor.md.j2", md=md_escape, **context) + "\n"
    html = render("tor/tor.html.j2", **context) + "\n"
    return TorDocument(referral.ref, markdown, html)
