"""The draft overview report of a review (SPEC §9, purpose 5), as parts, then as HTML and Word.

A report is a sequence of `Part`s, each a heading and its blocks (`Text`, `Field`, `Items`,
`Table`, `Subheading`), with the names of what it still misses. `overview_parts(db, ref,
generated)` reads the review once (`Review`: the referral, its complete plan, its agency
reviews, chronology, findings and actions) and asks each builder of `PARTS`, in SPEC §9's
order, for its part: the terms of reference (purposes, period, key lines of enquiry,
methodology, family and staff involvement with the reasons recorded), the multi-agency
chronology, each agency's summary analysis, what went well and lessons by agency, the board's
findings, the action plan with each action's status, the author; after the lessons, the
practitioners' learning event (without names) and the review's themes. A part not yet in (an agency
review not submitted) is named in it as missing, never left out.

To add a part (the learning event's attendance and feedback, the themes): write a builder
`(db, review) -> Part` and put it in `PARTS` where it belongs; `render_overview(ref, parts,
generated)` takes any parts and writes both documents (`reports.overview_docx` the Word one,
`templates/overview/overview.html.j2` the HTML). Every text in a part is what storage holds,
already redacted by the one intake; nothing else (no description, no case reference, no
person's name or id) enters. The fixed words are `templates/overview/words.j2`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from dialogs.core.answers import answer_label, parse_period
from dialogs.plan_questions import DONE_STATE, PLAN
from matrix.engine import profile_matrix
from matrix.model import TERMS_2013
from reports.blocks import Block, Field, Items, Part, Subheading, Table, Text
from reports.review_stages import asked_agencies
from reports.tor_document import framework
from storage import actions, agency_reviews, event_feedback, plans, referrals, themes
from storage.actions import Action, Finding
from storage.agency_reviews import AgencyReview, Entry
from storage.plans import Plan
from storage.referral_record import Referral
from templates import environment, labels, render


@dataclass(frozen=True)
class Review:
    """What the builders read of one review, read once."""

    referral: Referral
    plan: Plan
    reviews: Mapping[str, AgencyReview | None]  # every agency asked, by name: None if no row
    chronology: tuple[Entry, ...]
    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]
    terms: Mapping[str, str] = field(default_factory=dict)

    @property
    def submitted(self) -> dict[str, AgencyReview]:
        """The agency reviews in, by agency."""
        return {a: r for a, r in self.reviews.items() if r is not None and r.submitted}

    @property
    def awaited(self) -> list[str]:
        """The agencies asked whose agency review is not in yet."""
        return [a for a in self.reviews if a not in self.submitted]


@dataclass(frozen=True)
class OverviewDocument:
    """The rendered draft and the file names it is sent under."""

    ref: str
    parts: tuple[Part, ...]
    html: str
    docx: bytes
    awaited: tuple[str, ...] = ()  # the agencies asked whose agency review is not in yet

    @property
    def html_name(self) -> str:
        return f"Overview-{self.ref}.html"

    @property
    def docx_name(self) -> str:
        return f"Overview-{self.ref}.docx"

    @property
    def missing(self) -> tuple[str, ...]:
        """Every missing thing named in the draft, part by part."""
        return tuple(m for part in self.parts for m in part.missing)


class NotReady(ValueError):
    """The review has no complete plan (`plan`) or no agency review in yet (`awaited` names
    the agencies asked): there is nothing to assemble yet."""

    def __init__(self, ref: str, reason: str, awaited: Sequence[str] = ()) -> None:
        super().__init__(f"{ref}: {reason}")
        self.ref = ref
        self.reason = reason
        self.awaited = tuple(awaited)


def words(terms: Mapping[str, str] | None = None) -> Any:
    """The documents' fixed words (`templates/overview/words.j2`), in a profile's `terms`
    (the 2013 framework's by default)."""
    return _words(tuple(sorted((TERMS_2013 if terms is None else terms).items())))


@functools.cache
def _words(terms: tuple[tuple[str, str], ...]) -> Any:
    template = environment().get_template("overview/words.j2")
    return template.make_module(vars={"terms": dict(terms)})


def day_words(day: dt.date) -> str:
    """A date as the documents write it ("31 March 2026")."""
    return day.strftime("%d %B %Y")


def read_review(db: Database, ref: str) -> Review:
    """What the builders need of `ref`; `NotReady` without a complete plan, or while agencies
    were asked and none of their agency reviews is in."""
    referral = referrals.require_referral(db, ref)
    plan = plans.get_plan(db, referral.ref)
    if plan is None or plan.state != DONE_STATE:
        raise NotReady(referral.ref, "plan")
    rows = agency_reviews.for_review(db, referral.ref)
    by_agency = {r.agency: r for r in rows}
    asked = asked_agencies(plan, rows)
    review = Review(
        referral=referral,
        plan=plan,
        reviews={a: by_agency.get(a) for a in asked},
        chronology=tuple(agency_reviews.chronology(db, referral.ref)),
        findings=tuple(actions.findings_for(db, referral.ref)),
        actions=tuple(actions.actions_for(db, referral.ref)),
        terms=profile_matrix(referral.profile).terms,
    )
    if asked and not review.submitted:
        raise NotReady(referral.ref, "no_agency_review", asked)
    return review


def missing_review(review: Review, agency: str) -> str:
    """What the draft says of an agency review not in yet."""
    w = words(review.terms)
    row = review.reviews.get(agency)
    if row is None:
        return str(w.review_missing_undated).format(agency=agency)
    return str(w.review_missing).format(agency=agency, due=day_words(row.due))


def _missing(review: Review, agency: str) -> Text:
    return Text(f"{words(review.terms).missing}: {missing_review(review, agency)}", missing=True)


def _text(value: object) -> str:
    """An answer as it reads in the draft (a list of lines joined)."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value).strip()


def terms_part(db: Database, review: Review) -> Part:
    """The terms of reference: purposes, period, key lines of enquiry, methodology, family and
    staff involvement with the reasons recorded."""
    w, answers = words(review.terms), review.plan.answers
    period = parse_period(answers["period"]) if isinstance(answers.get("period"), str) else None
    when = (
        str(w.period_value).format(start=day_words(period[0]), end=day_words(period[1]))
        if period is not None
        else str(w.not_recorded)
    )
    enquiry = answers.get("enquiry")
    lines = tuple(_text(e) for e in enquiry) if isinstance(enquiry, list) else ()
    blocks: list[Block] = [
        Subheading(str(w.purposes_heading)),
        Items(tuple(framework(review.terms).purposes), ordered=True),
        Field(str(w.period), when),
        Subheading(str(w.enquiry_heading)),
        Items(lines) if lines else Text(str(w.not_recorded)),
        Field(str(w.methodology), answer_label(PLAN.by_id["methodology"], answers["methodology"])),
    ]
    if answers.get("methodology_reason"):
        blocks.append(Field(str(w.methodology_reason), _text(answers["methodology_reason"])))
    for key, label in (("family", w.family), ("staff", w.staff)):
        involved = answers.get(key) == "yes"
        reason = _text(answers.get(f"{key}_reason"))
        said = str(w.involved) if involved else str(w.not_involved).format(reason=reason)
        blocks.append(Field(str(label), said))
    return Part("terms", str(w.terms_heading), tuple(blocks))


def chronology_part(db: Database, review: Review) -> Part:
    """The multi-agency chronology, every submitted entry in date order with its agency."""
    w = words(review.terms)
    rows = tuple((day_words(e.day), e.agency, e.text) for e in review.chronology)
    columns = (str(w.date_column), str(w.agency_column), str(w.entry_column))
    caption = str(w.chronology_caption).format(ref=review.referral.ref)
    blocks: list[Block] = [Table(caption, columns, rows) if rows else Text(str(w.no_entries))]
    blocks += [_missing(review, a) for a in review.awaited]
    return Part("chronology", str(w.chronology_heading), tuple(blocks), tuple(review.awaited))


def _by_agency(review: Review, key: str, heading: str, fields: Sequence[tuple[str, str]]) -> Part:
    """A part of one block per agency asked: its answers `fields` (answer id, label), or that
    its agency review is missing."""
    w = words(review.terms)
    blocks: list[Block] = [] if review.reviews else [Text(str(w.no_agencies))]
    for agency in review.reviews:
        blocks.append(Subheading(agency))
        submitted = review.submitted.get(agency)
        if submitted is None:
            blocks.append(_missing(review, agency))
            continue
        for answer, label in fields:
            text = _text(submitted.answers.get(answer)) or str(w.none_given)
            blocks.append(Field(label, text) if label else Text(text))
    return Part(key, heading, tuple(blocks), tuple(review.awaited))


def analysis_part(db: Database, review: Review) -> Part:
    """Each agency's summary analysis."""
    w = words(review.terms)
    return _by_agency(review, "analysis", str(w.analysis_heading), (("analysis", ""),))


def learning_part(db: Database, review: Review) -> Part:
    """What went well and the lessons, named by agency."""
    w = words(review.terms)
    fields = (("went_well", str(w.went_well)), ("lessons", str(w.lessons)))
    return _by_agency(review, "learning", str(w.learning_heading), fields)


def event_part(db: Database, review: Review) -> Part:
    """The practitioners' learning event, without names: when, how many were invited and said
    they would come, how many gave feedback, the safety scores' mean and range, and what people
    learned and will do differently (`storage.event_feedback.feedback_summary`)."""
    w = words(review.terms)
    heading = str(w.event_heading)
    summary = event_feedback.feedback_summary(db, review.referral.ref)
    if summary.event is None:
        return Part("event", heading, (Text(str(w.no_event)),))
    when = day_words(summary.event.starts_at.date())  # a daytime event: its UTC day is the board's
    attendance = str(w.event_attendance).format(
        day=when,
        invited=summary.counts.invited,
        coming=summary.counts.coming,
        feedback=summary.feedback,
    )
    blocks: list[Block] = [Text(attendance)]
    if summary.safety_mean is not None and summary.safety_range is not None:
        low, high = summary.safety_range
        safety = str(w.event_safety).format(mean=f"{summary.safety_mean:.1f}", low=low, high=high)
        blocks.append(Text(safety))
    for label, said in (
        (w.event_learned, summary.learned),
        (w.event_differently, summary.differently),
    ):
        if said:
            blocks += [Subheading(str(label)), Items(tuple(sorted(said)))]
    return Part("event", heading, tuple(blocks))


def themes_part(db: Database, review: Review) -> Part:
    """The practice themes the officers chose for the review (`/themes`)."""
    w = words(review.terms)
    chosen = tuple(themes.themes_of(db, review.referral.ref))
    block: Block = Items(chosen) if chosen else Text(str(w.no_themes))
    return Part("themes", str(w.themes_heading), (block,))


def findings_part(db: Database, review: Review) -> Part:
    """The board's findings (`/finding`), in order."""
    w = words(review.terms)
    found = tuple(str(w.finding).format(seq=f.seq, text=f.text) for f in review.findings)
    block: Block = Items(found) if found else Text(str(w.no_findings))
    return Part("findings", str(w.findings_heading), (block,))


def actions_part(db: Database, review: Review) -> Part:
    """The action plan, each action with its agency, due date and status."""
    w = words(review.terms)
    rows = tuple(
        (a.id, a.agency, day_words(a.due), labels.action_status_label(a.status), a.text)
        for a in review.actions
    )
    columns = tuple(
        str(c) for c in (w.id_column, w.agency_column, w.due_column, w.status_column, w.text_column)
    )
    block: Block = Table(str(w.actions_caption), columns, rows) if rows else Text(str(w.no_actions))
    return Part("actions", str(w.actions_heading), (block,))


def author_part(db: Database, review: Review) -> Part:
    """The author named by the plan."""
    w = words(review.terms)
    author = _text(review.plan.answers.get("author")) or str(w.not_recorded)
    return Part("author", str(w.author_heading), (Text(author),))


PartBuilder = Callable[[Database, Review], Part]

# The parts in SPEC §9's order: a new part is a builder put where it belongs.
PARTS: tuple[PartBuilder, ...] = (
    terms_part,
    chronology_part,
    analysis_part,
    learning_part,
    event_part,
    themes_part,
    findings_part,
    actions_part,
    author_part,
)


def overview_parts(
    db: Database, ref: str, builders: Sequence[PartBuilder] = PARTS
) -> tuple[Review, tuple[Part, ...]]:
    """The review read once and each builder's part, in order (`NotReady` as `read_review`)."""
    review = read_review(db, ref)
    return review, tuple(build(db, review) for build in builders)


def render_overview(
    ref: str,
    parts: Sequence[Part],
    generated: dt.date,
    terms: Mapping[str, str] | None = None,
    awaited: Sequence[str] = (),
) -> OverviewDocument:
    """Both documents of the draft from any parts, in their order (`awaited`: the agencies
    whose agency review is not in yet, for whoever sends it to say)."""
    from reports.overview_docx import write_docx

    w = words(terms)
    title = str(w.title).format(ref=ref)
    intro = str(w.intro).format(ref=ref, generated=day_words(generated))
    html = render(
        "overview/overview.html.j2",
        title=title,
        intro=intro,
        privacy=str(w.privacy),
        parts=list(parts),
    )
    docx = write_docx(title, intro, str(w.privacy), parts)
    return OverviewDocument(ref, tuple(parts), html + "\n", docx, tuple(awaited))


def assemble(db: Database, ref: str, generated: dt.date) -> OverviewDocument:
    """The draft overview report of `ref` as stored now (`NotReady` when nothing to assemble)."""
    review, parts = overview_parts(db, ref)
    return render_overview(review.referral.ref, parts, generated, review.terms, review.awaited)
