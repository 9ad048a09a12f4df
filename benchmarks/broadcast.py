"""The broadcast benchmark: one approved learning brief to thousands of registered practitioners,
with Telegram's flood control answering some requests with 429, and a referral filed meanwhile.

    python benchmarks/broadcast.py                      # 5 000 practitioners (about 8 minutes)
    python benchmarks/broadcast.py --practitioners 50 --think 0 --file-at 0   # a quick check
    python benchmarks/broadcast.py --out FILE           # also write the figures to FILE

The database is made with the storage functions (every practitioner registered by an invite,
in one transaction; a referral filed, approved, and its brief written through the brief dialog
and awaiting the chair). The bot runs as deployed (`python -m bot run`) against the local Bot
API server in this process, which answers a random share of sendMessage and sendDocument calls
with 429 (`--fraction`, retry after `--retry-after` s). The chair presses `Approve brief`; the
broadcast is measured from that press to the last recipient's brief (SPEC §7: one message
with `Read it` and `Get the document`; the document only on request, so none here).
`--file-at` seconds after the press a practitioner starts a whole check (think time `--think`)
and submits it; the board notice's latency is measured from the Submit press to its delivery
in the board group.
Every recipient's chat is then counted: exactly one `Read it` message each, and no document.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import procstat
import sim
from run import BOARD, CHAIR, TOKEN, finish, fmt, machine, start_bot, stop_bot

from dialogs.brief import BriefDialog
from localapi import Call, ThreadedLocalBotAPI
from storage import briefs, outbox, practitioners, referrals
from storage.db import open_db, transaction
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue
from templates import labels

AGENCIES = ("Children's social care", "Health", "Police", "Education", "Early help")
FIRST = 200_000  # the practitioners' user ids
FILER = FIRST - 1  # a registered practitioner who has turned briefs off files the referral
SECTION = (
    "Agencies held pieces of the picture that nobody put together: the school saw bruising, the "
    "health visitor raised concerns twice, and each referral was closed on its own. "
)  # about 160 characters; each section repeats it to about 700
REF = re.compile(r"LIR-\d{4}-\d{4}")


@dataclass
class Figures:
    """What one broadcast measured."""

    recipients: int = 0
    seconds: float = 0.0  # the press to the last recipient's document
    requests: int = 0  # answered 200, naming a recipient's chat
    refused: int = 0  # answered 429
    cpu: float = 0.0
    peak_rss: float = 0.0
    parts: int = 0  # text messages per brief
    missing: list[int] = field(default_factory=list)
    twice: list[int] = field(default_factory=list)
    notice_ms: float | None = None
    check_ms: list[float] = field(default_factory=list)
    notice_priority: int | None = None
    errors: list[str] = field(default_factory=list)
    unsent_rows: int = 0

    @property
    def rate(self) -> float:
        """Requests delivered per second of the broadcast."""
        return self.requests / self.seconds if self.seconds else 0.0


def prepare(path: Path, count: int) -> str:
    """The database: `count` registered practitioners, a decided referral and its brief awaiting
    the chair (with its card queued to the chair); returns the referral's reference."""
    db = open_db(path)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    with transaction(db):
        for n in range(count):
            code = practitioners.create_invite(db, AGENCIES[n % len(AGENCIES)], "bench", now)
            practitioners.redeem_invite(db, code, FIRST + n, now)
        code = practitioners.create_invite(db, AGENCIES[1], "bench", now)
        practitioners.redeem_invite(db, code, FILER, now)
        briefs.set_briefs_off(db, FILER, True)
        facts, result, urgent, agencies = _conversation()
        referral, _ = referrals.file_referral(
            db,
            draft_id="bench-broadcast",
            referrer_id=FILER,
            referrer_agency=AGENCIES[0],
            facts=facts,
            result=result,
            urgent=urgent,
            agencies=agencies,
            description="Synthetic case: agencies shared their concerns late.",
            case_reference=None,
            board_chat_id=BOARD,
            chair_ids=(CHAIR,),
            now=now,
        )
        referrals.record_decision(db, referral.ref, CHAIR, "approved", "", None, now)
    dialog = BriefDialog()
    session = dialog.start(referral.ref)
    briefs.start_brief(db, referral.ref, session.state, (), CHAIR, now)
    done = False
    while not done:
        done = session.answer((SECTION * 5)[:700].rstrip()).complete
    with transaction(db):
        briefs.save_sections(db, referral.ref, session.state, session.answers, True, now)
        enqueue(db, referral.ref, OutboxKind.BRIEF_CARD, CHAIR, {}, PRIORITY_NORMAL, now)
    db.conn.close()
    return referral.ref


def _conversation() -> tuple[dict[str, object], dict[str, object], bool, list[str]]:
    import scale  # the same whole checks as the scale benchmark

    return scale.conversations()[0]


def broadcast(
    folder: Path,
    count: int,
    fraction: float,
    retry_after: int,
    file_at: float,
    think: float,
    limit: float,
) -> Figures:
    """Run one broadcast to `count` practitioners (its database and log in `folder`)."""
    ref = prepare(folder / "triage.db", count)
    ids = list(range(FIRST, FIRST + count))
    figures = Figures(recipients=count)
    with ThreadedLocalBotAPI(token=TOKEN) as api:
        api.add_user(CHAIR, "Chair")
        api.add_chat(BOARD, "supergroup", "Board")
        for user_id in [FILER, *ids]:
            api.add_user(user_id, f"User {user_id}")
        proc = start_bot("triage", api, folder)
        try:
            approve = labels.button("brief_ok")
            api.wait_for(lambda: _has_button(api, CHAIR, approve), 30, what="the brief card")
            time.sleep(1.5)  # the set-up's notices are out; the bot is idle
            for method in ("sendMessage",) if fraction > 0 else ():
                api.fail_some(method, fraction, retry_after=retry_after)
            before = procstat.sample(proc.pid)
            since = api.mark()
            pressed = time.monotonic()
            api.press_button(CHAIR, CHAIR, approve)
            filer = _file_later(api, pressed + file_at, think, limit)
            last = _await_briefs(api, set(ids), since, pressed + limit)
            after = procstat.sample(proc.pid)
            filer.join(limit)
            api.clear_faults()
            _count(api, ids, since, figures)
            _notice(api, filer, since, folder, figures)
        finally:
            stop_bot(proc)
    figures.seconds = (last or time.monotonic()) - pressed
    figures.cpu = after.cpu - before.cpu
    figures.peak_rss = after.peak_rss_mib
    db = open_db(folder / "triage.db")
    figures.unsent_rows = sum(
        1 for r in outbox.rows_for(db, ref, OutboxKind.BRIEF) if r.status != outbox.SENT
    )
    db.conn.close()
    return figures


def _has_button(api: ThreadedLocalBotAPI, chat_id: int, text: str) -> bool:
    return any(text in m.button_texts for m in api.bot_messages(chat_id))


class _Filer(threading.Thread):
    """The practitioner who files a referral during the broadcast (a whole check)."""

    def __init__(self, api: ThreadedLocalBotAPI, at: float, think: float, limit: float) -> None:
        super().__init__(name="filer", daemon=True)
        self.api, self.at, self.think, self.limit = api, at, think, limit
        self.user = sim.User(FILER, sim.CHECK, 1)
        self.result: sim.Result | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        time.sleep(max(0.0, self.at - time.monotonic()))
        pause = (self.think / 2, self.think * 1.5) if self.think else None
        try:
            self.result = sim.drive(self.api, [self.user], pause, self.limit)
        except BaseException as exc:  # reported with the figures
            self.error = exc


def _file_later(api: ThreadedLocalBotAPI, at: float, think: float, limit: float) -> _Filer:
    filer = _Filer(api, at, think, limit)
    filer.start()
    return filer


def _await_briefs(
    api: ThreadedLocalBotAPI, chats: set[int], since: int, deadline: float
) -> float | None:
    """Wait until every chat in `chats` has had the brief's message with its buttons (its last
    part) delivered; the time of the last."""
    waiting = set(chats)
    cursor = since
    last: float | None = None
    while waiting and time.monotonic() < deadline:
        calls = api.calls(since=cursor)
        if calls:
            cursor = calls[-1].seq
        for call in calls:
            if (
                call.ok
                and call.method == "sendMessage"
                and "r:LIR-" in str(call.params.get("reply_markup"))
            ):
                chat = call.params.get("chat_id")
                if chat in waiting:
                    waiting.discard(chat)
                    last = call.at
        time.sleep(0.2)
    return None if waiting else last


def _count(api: ThreadedLocalBotAPI, ids: list[int], since: int, figures: Figures) -> None:
    """Per recipient, the `Read it` messages (and any document) delivered; requests, 429s."""
    read_it = labels.button("read_it")
    chats = set(ids)
    window = [c for c in api.calls(since=since) if c.params.get("chat_id") in chats]
    figures.requests = sum(1 for c in window if c.ok and _broadcast_call(c))
    figures.refused = sum(1 for c in window if c.status == 429)
    texts = {user_id: 0 for user_id in ids}
    for user_id in ids:
        messages = api.bot_messages(user_id)
        with_button = sum(1 for m in messages if read_it in m.button_texts)
        documents = sum(1 for m in messages if m.kind == "document")
        texts[user_id] = with_button
        if with_button == 0:
            figures.missing.append(user_id)
        elif with_button > 1 or documents > 0:  # the document goes only to those who ask
            figures.twice.append(user_id)
    sent_texts = sum(1 for c in window if c.ok and c.method == "sendMessage")
    figures.parts = round(sent_texts / max(1, sum(texts.values())))


def _broadcast_call(call: Call) -> bool:
    return call.method in ("sendMessage", "sendDocument")


def _notice(
    api: ThreadedLocalBotAPI, filer: _Filer, since: int, folder: Path, figures: Figures
) -> None:
    """The filed referral's board notice: latency from Submit to its delivery to the board."""
    result = filer.result
    if filer.error is not None or result is None:
        figures.errors.append(f"the check did not run: {filer.error!r}")
        return
    figures.errors += result.errors
    figures.check_ms = [1000 * x for x in result.latencies]
    if filer.user.done_rounds < 1:
        figures.errors.append("the check was not submitted within the time limit")
        return
    receipt = api.calls("editMessageText", chat_id=FILER, since=since)
    refs = [m[0] for c in receipt for m in [REF.search(str(c.params.get("text", "")))] if m]
    if not refs:
        figures.errors.append("no reference in the check's Submit answer")
        return
    submitted = filer.user.sent_at

    def notice() -> bool:  # the broadcast can end before the notice goes: wait for it a while
        calls = api.calls("sendMessage", chat_id=BOARD, since=since)
        return any(c.ok and refs[-1] in str(c.params.get("text", "")) for c in calls)

    with contextlib.suppress(TimeoutError):  # said below
        api.wait_for(notice, 10, what="the board notice")
    for call in api.calls("sendMessage", chat_id=BOARD, since=since):
        if call.ok and refs[-1] in str(call.params.get("text", "")) and call.at >= submitted:
            figures.notice_ms = 1000 * (call.at - submitted)
            break
    else:
        figures.errors.append(f"no board notice for {refs[-1]}")
    db = open_db(folder / "triage.db")
    rows = outbox.rows_for(db, refs[-1], OutboxKind.BOARD_NOTICE)
    figures.notice_priority = rows[0].priority if rows else None
    db.conn.close()


def table(f: Figures, args: argparse.Namespace) -> list[str]:
    """The figures as Markdown."""
    requests_per_brief = f.requests / max(1, f.recipients)
    check = sorted(f.check_ms)
    return [
        f"{f.recipients:,} practitioners in {len(AGENCIES)} agencies; 429 on "
        f"{100 * args.fraction:g} % of sendMessage calls (retry after "
        f"{args.retry_after} s); referral filed {args.file_at:g} s after the press.",
        "",
        "| what | measured |",
        "|---|---:|",
        f"| broadcast time, press to the last recipient's brief | {fmt(f.seconds)} s |",
        f"| requests delivered (sendMessage + sendDocument) | {f.requests:,} "
        f"({fmt(requests_per_brief, 2)} per recipient; {f.parts} text part(s) per brief) |",
        f"| requests/s sustained over the broadcast | {fmt(f.rate)} |",
        f"| briefs/s | {fmt(f.recipients / f.seconds if f.seconds else 0)} |",
        f"| 429s met | {f.refused} |",
        f"| bot CPU, user+sys / wall | {fmt(100 * f.cpu / f.seconds if f.seconds else 0)} % "
        f"of one core ({fmt(f.cpu)} s) |",
        f"| bot peak RSS | {fmt(f.peak_rss)} MiB |",
        f"| recipients without the brief / with it twice | {len(f.missing)} / {len(f.twice)} |",
        f"| brief rows not marked sent | {f.unsent_rows} |",
        f"| board notice latency, Submit to delivery | "
        f"{'-' if f.notice_ms is None else fmt(f.notice_ms) + ' ms'} "
        f"(priority {f.notice_priority}) |",
        f"| the filer's check during the broadcast, p50 / p99 / max | "
        f"{fmt(sim.percentile(check, 50))} / {fmt(sim.percentile(check, 99))} / "
        f"{fmt(max(check or [0]))} ms |",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the broadcast and print (and optionally write) the figures as Markdown."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--practitioners", type=int, default=5000)
    parser.add_argument("--fraction", type=float, default=0.01, help="429 share (0: none)")
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--file-at", type=float, default=60.0, help="seconds after the press")
    parser.add_argument("--think", type=float, default=1.0, help="the filer's mean think time")
    parser.add_argument("--limit", type=float, default=1200.0, help="give up after (s)")
    parser.add_argument("--out", type=Path, help="also write the figures to this Markdown file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lir-broadcast-") as folder:
        figures = broadcast(
            Path(folder),
            args.practitioners,
            args.fraction,
            args.retry_after,
            args.file_at,
            args.think,
            args.limit,
        )
    command = " ".join(["python benchmarks/broadcast.py", *(argv or [])])
    out = [f"Command: `{command}`", "", *machine(), "", *table(figures, args)]
    problems = [
        *figures.errors,
        *(f"no brief for {u}" for u in figures.missing[:5]),
        *(f"the brief twice for {u}" for u in figures.twice[:5]),
    ]
    if figures.unsent_rows:
        problems.append(f"{figures.unsent_rows} brief rows not sent")
    out += ["", f"Problems: {len(problems)}", *(f"- {p}" for p in problems)]
    finish(out, started, args.out)
    return 1 if problems else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
