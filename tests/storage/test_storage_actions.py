"""Findings and the action plan in storage: numbered ids, the lead told in the same transaction,
changes kept in the action's history, closed actions refused, the overdue digest once a day,
and the texts erased under the retention schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database
from storage_helpers import file_sample

from storage import actions, outbox, practitioners, referrals
from storage.actions import ActionError
from storage.outbox import OutboxItem, OutboxKind
from storage.retention import kept_part, marker, purge

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
DUE = dt.date(2026, 3, 20)
LEAD, OTHER_LEAD, PLAIN = 7001, 7002, 7003
BOARD = -100900


def _register(db: Database, user_id: int, agency: str, lead: bool) -> None:
    code = practitioners.create_invite(db, agency, "cli", NOW, lead=lead)
    practitioners.redeem_invite(db, code, user_id, NOW)


def test_ids_parse_in_any_case_and_nothing_else() -> None:
    assert actions.parse_action_id("lir-2026-0003/a12") == ("LIR-2026-0003", 12)
    assert actions.action_id("LIR-2026-0003", 12) == "LIR-2026-0003/A12"
    for bad in ("LIR-2026-0003", "LIR-2026-0003/B1", "LIR-2026-0003/A", "x/A1", ""):
        assert actions.parse_action_id(bad) is None


def test_a_lead_invite_registers_a_lead_and_only_they_get_the_action(db: Database) -> None:
    _register(db, LEAD, "Police", lead=True)
    _register(db, OTHER_LEAD, "Health", lead=True)
    _register(db, PLAIN, "Police", lead=False)
    who = practitioners.get_practitioner(db, LEAD)
    assert who is not None and who.lead and who.agency == "Police"
    assert practitioners.leads_of(db, "police") == [LEAD]
    ref = file_sample(db).ref
    first = actions.add_action(db, ref, "Police", DUE, "Audit strategy meetings", 3001, NOW)
    second = actions.add_action(db, ref, "Health", DUE, "Train health visitors", 3001, NOW)
    assert (first.id, second.id) == (f"{ref}/A1", f"{ref}/A2")
    rows = outbox.rows_for(db, ref, OutboxKind.ACTION_LEAD)
    assert [(r.chat_id, r.payload["action"]) for r in rows] == [
        (LEAD, first.id),
        (OTHER_LEAD, second.id),
    ]


def test_an_agencys_leads_are_found_by_key_in_any_case(db: Database) -> None:
    _register(db, LEAD, "Police", lead=True)
    _register(db, PLAIN, "Police", lead=False)
    _register(db, OTHER_LEAD, "Health", lead=True)
    assert practitioners.leads_of(db, "POLICE") == [LEAD]
    assert practitioners.leads_of(db, "Education") == []
    traced: list[str] = []
    db.conn.set_trace_callback(traced.append)
    practitioners.leads_of(db, "police")
    db.conn.set_trace_callback(None)
    (read,) = [sql for sql in traced if 'from "practitioners"' in sql]
    plan = " ".join(r[-1] for r in db.execute(f"EXPLAIN QUERY PLAN {read}"))
    assert "practitioners_leads" in plan, plan


def test_changes_are_the_actions_history_and_a_closed_one_cannot_change(db: Database) -> None:
    ref = file_sample(db).ref
    action = actions.add_action(db, ref, "Police", DUE, "Audit strategy meetings", 3001, NOW)
    later = NOW + dt.timedelta(days=1)
    started, _ = actions.change_action(db, ref, 1, "started", LEAD, "", later, [BOARD])
    assert started.status == actions.STARTED and started.is_open
    late, _ = actions.change_action(db, ref, 1, "late", LEAD, "Staff off sick", later, [BOARD])
    assert late.status == actions.STARTED
    done, event = actions.change_action(db, ref, 1, "done", LEAD, "Audit report filed", later)
    assert (done.status, done.outcome, done.closed_at) == ("done", "Audit report filed", later)
    assert event.detail == f"{action.id}: Audit report filed"
    history = actions.history(db, done)
    assert [e.action for e in history] == [
        "action",
        "action_started",
        "action_late",
        "action_done",
    ]
    told = outbox.rows_for(db, ref, OutboxKind.ACTION_UPDATE)
    assert [r.chat_id for r in told] == [BOARD, BOARD]
    with pytest.raises(ActionError) as closed:
        actions.change_action(db, ref, 1, "dropped", 3001, "no longer needed", later)
    assert closed.value.reason == "closed"
    with pytest.raises(ActionError) as unknown:
        actions.change_action(db, ref, 9, "done", 3001, "x", later)
    assert unknown.value.reason == "unknown"


def test_open_actions_come_soonest_due_first_and_the_overdue_are_those_past(
    db: Database,
) -> None:
    ref = file_sample(db).ref
    actions.add_action(db, ref, "Police", dt.date(2026, 3, 30), "later", 3001, NOW)
    actions.add_action(db, ref, "Health", dt.date(2026, 3, 5), "sooner", 3001, NOW)
    actions.add_action(db, ref, "Health", dt.date(2026, 3, 6), "dropped", 3001, NOW)
    actions.change_action(db, ref, 3, "dropped", 3001, "merged into A2", NOW)
    assert [a.seq for a in actions.open_actions(db)] == [2, 1]
    assert [a.seq for a in actions.overdue_actions(db, dt.date(2026, 3, 5))] == []
    assert [a.seq for a in actions.overdue_actions(db, dt.date(2026, 3, 6))] == [2]
    assert [a.seq for a in actions.due_on(db, dt.date(2026, 3, 30))] == [1]


def test_the_live_actions_are_read_a_few_from_the_index_and_the_rest_counted(
    db: Database,
) -> None:
    ref = file_sample(db).ref
    for day in (9, 3, 7, 1, 5):
        actions.add_action(db, ref, "Police", dt.date(2026, 4, day), f"due {day}", 3001, NOW)
    actions.change_action(db, ref, 4, "done", 3001, "evidence", NOW)  # due the 1st: closed
    actions.change_action(db, ref, 2, "started", 3001, "", NOW)  # due the 3rd: still live
    assert [a.due.day for a in actions.live_actions(db, 2)] == [3, 5]
    assert [a.due.day for a in actions.live_actions(db)] == [3, 5, 7, 9]
    assert [a.due.day for a in actions.overdue_actions(db, dt.date(2026, 4, 8), 1)] == [3]
    assert actions.count_live(db) == 4
    assert actions.count_live(db, before=dt.date(2026, 4, 8)) == 3
    assert actions.count_live(db, before=dt.date(2026, 4, 3)) == 0
    sql = "SELECT * FROM actions WHERE status IN ('open', 'started') AND due < ?"
    plan = " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", ["2026-04-08"]))
    assert "actions_live_due" in plan  # the reads above are written as its condition is


def test_the_overdue_digest_is_queued_once_a_day(db: Database) -> None:
    item = OutboxItem(OutboxKind.ACTIONS_OVERDUE, BOARD, {"day": "2026-03-09"})
    day = dt.date(2026, 3, 9)
    assert actions.queue_digest_once(db, actions.OVERDUE_DIGEST, day, [item], NOW)
    assert not actions.queue_digest_once(db, actions.OVERDUE_DIGEST, day, [item], NOW)
    assert actions.queue_digest_once(db, actions.OVERDUE_DIGEST, day + dt.timedelta(1), [], NOW)


def test_findings_and_actions_are_erased_under_the_retention_schedule(db: Database) -> None:
    ref = file_sample(db).ref
    finding = actions.add_finding(db, ref, 3001, "Pemberwick finding text", NOW)
    assert (finding.seq, actions.findings_for(db, ref)[0].text) == (1, "Pemberwick finding text")
    actions.add_action(db, ref, "Police", DUE, "Pemberwick action text", 3001, NOW)
    actions.change_action(db, ref, 1, "done", 3001, "Pemberwick evidence", NOW)
    referrals.record_decision(db, ref, 2001, "declined", "no learning", None, NOW)
    today = dt.date(2027, 6, 1)
    done = purge(db, today=today, declined_months=12, closed_years=6, now=NOW)
    erased = done.erasures[0].erased
    assert erased["finding"] == 1 and erased["action"] == 1 and erased["evidence"] == 1
    assert actions.findings_for(db, ref)[0].text == marker(today)
    kept = actions.actions_for(db, ref)[0]
    assert (kept.text, kept.outcome, kept.status, kept.agency) == (
        marker(today),
        marker(today),
        "done",
        "Police",
    )
    words = [e.detail for e in actions.history(db, kept)]
    assert all("Pemberwick" not in w for w in words)
    assert words[0].startswith(f"{ref}/A1: Police, due 2026-03-20: erased")
    assert kept_part("finding", "F2: some words") == "F2"
