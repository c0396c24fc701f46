"""Every ticket action through `care.tickets`, `care.intake` and `care.idempotency`, on the
in-memory repository and idempotency store.

No moto and no AWS client: `chalicelib.aws.client` raises if anything reaches for one. The seams
around the ticket (the platform send, team lookups, the SLA run, events, counters) are recorded
fakes, so each test says what the action sent, wrote and started.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import aws
from chalicelib.auth import Principal, reset_principal, set_principal
from chalicelib.care import (
    csat,
    customers,
    idempotency,
    intake,
    ownership,
    reopen_rules,
    replies,
    reply_windows,
    repositories,
    routing,
    sla,
    tickets,
    workspace,
)
from chalicelib.care.models import (
    AcknowledgeRequest,
    AssignRequest,
    InboxQuery,
    NoteRequest,
    ReplyRequest,
    ResolveRequest,
    RouteRequest,
)
from chalicelib.clock import iso, utcnow
from chalicelib.definitions import DetailType
from chalicelib.errors import Conflict, NotFound
from chalicelib.measure import counters
from chalicelib.store import mentions as mention_store
from tests.fakes.idempotency import MemoryIdempotencyStore
from tests.fakes.tickets import MemoryTicketRepository, record


class World:
    def __init__(self) -> None:
        self.repo = MemoryTicketRepository()
        self.mentions: dict[str, dict[str, Any]] = {}
        self.sent: list[str] = []
        self.events: list[str] = []
        self.started: list[str] = []
        self.stopped: list[str] = []
        self.on_send: Any = None
        self.fail_send = False

    def mention(self, n: int = 1, **fields: Any) -> dict[str, Any]:
        mention = {
            "id": f"telegram:555:{n}",
            "platform": "telegram",
            "platform_id": f"555:{n}",
            "kind": "dm",
            "author": {"id": "user-1", "name": "Customer 1"},
            "text": "my order never arrived",
            "created_at": iso(utcnow()),
            "conversation_id": "chat-1",
            "language": "en",
            "sentiment": "negative",
            "intent": "complaint",
            "needs_reply": True,
            **fields,
        }
        self.mentions[mention["id"]] = mention
        return mention

    def ticket(self, **fields: Any) -> str:
        self.mention(1)
        return self.repo.put(record(**fields)).id

    def stored(self, ticket_id: str = "T1") -> dict[str, Any]:
        return self.repo.items[ticket_id]

    def send(self, mention: dict[str, Any], text: str, **_: Any) -> dict[str, Any]:
        if self.fail_send:
            raise replies.PlatformSendFailed(mention["platform"], _failed())
        self.sent.append(text)
        if self.on_send is not None:
            hook, self.on_send = self.on_send, None
            hook()
        return {
            "text": text,
            "private": False,
            "template_id": None,
            "platform_message_id": f"out-{len(self.sent)}",
            "url": None,
            "in_reply_to": mention["id"],
        }


def _failed() -> Any:
    from chalicelib.platforms.outbound import SendResult

    return SendResult("rejected", message="no")


def _no_aws(service: str) -> Any:
    raise AssertionError(f"a unit test reached for AWS ({service})")


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch):
    w = World()
    monkeypatch.setattr(aws, "client", _no_aws)
    monkeypatch.setattr(mention_store, "get_by_id", lambda i: w.mentions.get(i))
    monkeypatch.setattr(
        mention_store, "get_many", lambda ids: [w.mentions[i] for i in ids if i in w.mentions]
    )
    monkeypatch.setattr(replies, "send", w.send)
    monkeypatch.setattr(routing, "pick_assignee", lambda team: {"billing": "omid"}.get(team))
    monkeypatch.setattr(routing, "require_member", lambda team, agent: None)
    monkeypatch.setattr(routing, "get_team", lambda team: {"id": team})
    monkeypatch.setattr(sla, "policy_for", lambda team: sla.Policy())
    monkeypatch.setattr(sla, "start_clock", lambda t: w.started.append(f"{t.id}:{t.sla_run}"))
    monkeypatch.setattr(sla, "stop_clock", lambda t, cause: w.stopped.append(cause))
    monkeypatch.setattr(csat, "enabled", lambda team: False)
    monkeypatch.setattr(tickets, "publish", lambda kind, detail: w.events.append(kind))
    monkeypatch.setattr("chalicelib.events.publish", lambda kind, detail: w.events.append(kind))
    monkeypatch.setattr(counters, "on_ticket_action", lambda *args: None)
    monkeypatch.setattr(customers, "ensure_for", lambda platform, author: "C1")
    monkeypatch.setattr(reopen_rules, "reopen_days", lambda team: 7)
    marker = set_principal(Principal(token_id="t1", name="sara", role="agent"))
    with repositories.use(w.repo):
        yield w
    reset_principal(marker)


def as_agent(name: str, role: str = "agent") -> None:
    set_principal(Principal(token_id="t2", name=name, role=role))  # type: ignore[arg-type]


# --- agent actions --------------------------------------------------------------------------


def test_acknowledge_sends_once_and_writes_the_state_with_the_message(world):
    world.ticket()
    result = tickets.acknowledge("T1", AcknowledgeRequest(text="on it"))

    assert world.sent == ["on it"]
    ticket = world.stored()
    assert (ticket["status"], ticket["version"], ticket["sla"]["ack"]) == ("acknowledged", 2, "met")
    assert ticket["next_due_at"] == ticket["resolve_due_at"]
    assert ticket["updated_by"] == "sara"
    assert "pending_action" not in ticket  # the send slot went with the write
    last = ticket["history"][-1]
    assert (last["action"], last["from_status"], last["to_status"]) == (
        "acknowledge",
        "open",
        "acknowledged",
    )
    assert last["message"]["platform_message_id"] == "out-1"
    assert result["ticket"] == ticket
    assert result["sent"]["text"] == "on it"
    assert world.events == [DetailType.TICKET_ACKNOWLEDGED]


def test_an_illegal_action_is_409_with_the_legal_ones_and_sends_nothing(world):
    world.ticket(status="resolved")
    with pytest.raises(Conflict) as refused:
        tickets.acknowledge("T1", AcknowledgeRequest(text="hi"))
    assert refused.value.details[0]["legal_actions"] == ["reopen"]
    assert world.sent == []
    assert world.stored()["version"] == 1


def test_a_missing_ticket_is_404(world):
    with pytest.raises(NotFound):
        tickets.reply("T9", ReplyRequest(text="hi"))


def test_a_stale_version_is_409_naming_who_changed_it(world):
    world.ticket(status="acknowledged", version=4, updated_by="omid")
    with pytest.raises(ownership.StaleVersion) as stale:
        tickets.reply("T1", ReplyRequest(text="hi", version=3))
    detail = stale.value.details[0]
    assert (detail["expected"], detail["version"], detail["updated_by"]) == (3, 4, "omid")
    assert detail["ticket"]["id"] == "T1"
    assert world.sent == []


def test_only_the_assignee_or_a_manager_messages_the_customer(world):
    world.ticket(status="acknowledged")
    as_agent("kian")
    with pytest.raises(ownership.NotAssignee) as refused:
        tickets.reply("T1", ReplyRequest(text="hi"))
    assert refused.value.details[0]["take_over"]["body"] == {"assignee": "kian"}
    assert world.sent == []

    as_agent("mina", "manager")
    tickets.reply("T1", ReplyRequest(text="from the manager"))
    assert world.sent == ["from the manager"]


def test_a_closed_reply_window_is_refused_before_anything_is_claimed(world):
    old = iso(utcnow() - timedelta(days=2))
    world.mention(1, id="instagram:1", platform="instagram", created_at=old)
    world.repo.put(
        record(
            status="acknowledged",
            platform="instagram",
            mention_id="instagram:1",
            mention_ids=["instagram:1"],
            reply_window_ends_at=iso(utcnow() - timedelta(days=1)),
        )
    )
    with pytest.raises(reply_windows.WindowClosed):
        tickets.reply("T1", ReplyRequest(text="too late"))
    assert world.sent == []
    assert "pending_action" not in world.stored()


def test_a_held_send_slot_is_409_and_nothing_is_sent(world):
    lease = iso(utcnow() + timedelta(minutes=1))
    world.ticket(status="acknowledged")
    world.stored()["pending_action"] = {"token": "other", "action": "reply", "by": "omid",
                                        "lease_until": lease}  # fmt: skip
    with pytest.raises(Conflict) as busy:
        tickets.reply("T1", ReplyRequest(text="hi"))
    assert busy.value.details[0]["pending_action"] == {"action": "reply", "by": "omid"}
    assert world.sent == []


def test_an_expired_claim_does_not_block_the_slot(world):
    world.ticket(status="acknowledged")
    world.stored()["pending_action"] = {"token": "crashed", "lease_until": "2025-01-01T00:00Z"}
    tickets.reply("T1", ReplyRequest(text="hi"))
    assert world.sent == ["hi"]
    assert "pending_action" not in world.stored()


def test_a_failed_send_frees_the_slot_and_leaves_the_ticket(world):
    world.ticket(status="acknowledged")
    world.fail_send = True
    with pytest.raises(replies.PlatformSendFailed):
        tickets.reply("T1", ReplyRequest(text="hi"))
    assert "pending_action" not in world.stored()
    assert world.stored()["version"] == 1


def test_a_message_sent_while_another_agent_resolved_is_recorded_and_409(world):
    world.ticket(status="acknowledged")

    def someone_resolves() -> None:
        ticket = world.repo.get("T1")
        assert ticket is not None
        world.repo.apply(ticket.resolve(by="omid", now=utcnow(), note=None, message=None))

    world.on_send = someone_resolves
    with pytest.raises(Conflict) as lost:
        tickets.reply("T1", ReplyRequest(text="hi"))
    detail = lost.value.details[0]
    assert (detail["status"], detail["message_sent"], detail["platform_message_id"]) == (
        "resolved",
        True,
        "out-1",
    )
    kept = [e for e in world.repo.filed["T1"] if e["action"] == "message_sent"]
    assert kept[0]["message"]["text"] == "hi"


def test_a_message_sent_while_another_change_landed_is_retried_on_the_new_version(world):
    world.ticket(status="acknowledged")

    def someone_assigns() -> None:
        ticket = world.repo.get("T1")
        assert ticket is not None
        # an action without a message, not holding the slot (its write ignores the claim)
        world.repo.apply(ticket.assign("sara", by="omid", now=utcnow()))

    world.on_send = someone_assigns
    result = tickets.reply("T1", ReplyRequest(text="hi"))
    assert result["ticket"]["version"] == 3
    assert result["ticket"]["history"][-1]["message"]["text"] == "hi"


def test_without_a_message_a_lost_race_with_a_version_is_stale(world, monkeypatch):
    world.ticket(status="acknowledged")
    real = world.repo.apply

    def racing(transition, *, claim_token=None):
        ticket = world.repo.get("T1")
        assert ticket is not None
        world.repo.items["T1"] = {**world.repo.items["T1"], "version": 2, "updated_by": "omid"}
        return real(transition, claim_token=claim_token)

    monkeypatch.setattr(world.repo, "apply", racing)
    with pytest.raises(ownership.StaleVersion):
        tickets.assign("T1", AssignRequest(assignee="kian", version=1))


def test_assign_and_route_move_the_open_ticket_counters(world):
    world.ticket(status="acknowledged")
    tickets.assign("T1", AssignRequest(assignee="kian"))
    assert world.stored()["assignee"] == "kian"
    assert world.repo.loads == {"sara": -1, "kian": 1}

    routed = tickets.route("T1", RouteRequest(team="billing", note="refund"))["ticket"]
    assert (routed["team"], routed["assignee"], routed["status"]) == (
        "billing",
        "omid",
        "in_progress",
    )
    assert world.repo.loads == {"sara": -1, "kian": 0, "omid": 1}
    assert routed["history"][-1]["note"] == "refund"
    assert world.events == [DetailType.TICKET_ROUTED]


def test_pause_then_resume_moves_the_deadline_by_the_paused_time(world):
    world.ticket(status="in_progress")
    paused = tickets.pause("T1", NoteRequest(note="asked for the order number"))["ticket"]
    assert (paused["status"], paused["paused_from"]) == ("waiting", "in_progress")
    assert world.stopped == ["waiting on the customer"]

    world.stored()["paused_at"] = iso(utcnow() - timedelta(hours=1))
    resumed = tickets.resume("T1", NoteRequest())["ticket"]
    assert resumed["status"] == "in_progress"
    assert "paused_at" not in resumed
    assert "paused_from" not in resumed
    assert 3590 <= resumed["paused_seconds"] <= 3610
    assert resumed["sla_run"] == 1
    assert resumed["resolve_due_at"] > paused["resolve_due_at"]  # the paused hour is given back
    assert world.started == ["T1:1"]


def test_resolve_then_reopen(world):
    world.ticket(status="in_progress")
    resolved = tickets.resolve("T1", ResolveRequest(note="sorted"))["ticket"]
    assert (resolved["status"], resolved["sla"]["resolve"]) == ("resolved", "met")
    assert "next_due_at" not in resolved  # a resolved ticket leaves the deadline order
    assert world.repo.loads == {"sara": -1}
    assert world.stopped == ["resolved"]

    reopened = tickets.reopen("T1", NoteRequest(note="not sorted"))["ticket"]
    assert (reopened["status"], reopened["reopen_count"], reopened["sla"]["resolve"]) == (
        "in_progress",
        1,
        "pending",
    )
    assert "resolved_at" not in reopened
    assert world.repo.loads == {"sara": 0}
    assert world.started == ["T1:1"]


def test_a_note_is_history_without_a_state_change(world):
    world.ticket()
    added = workspace.add_note("T1", workspace.NoteCreate(note="VIP"))
    assert added["entry"]["note"] == "VIP"
    assert world.stored()["status"] == "open"
    assert [e["action"] for e in world.repo.filed["T1"]] == ["note"]
    with pytest.raises(NotFound):
        workspace.add_note("T9", workspace.NoteCreate(note="x"))
    with pytest.raises(ownership.StaleVersion):
        workspace.add_note("T1", workspace.NoteCreate(note="x", version=1))


def test_sla_marks_show_at_once_and_are_filed_by_the_next_write(world):
    world.ticket()
    mark = {"at": iso(utcnow()), "by": "sla", "action": "sla_at_risk", "clock": "ack"}
    world.repo.mark_sla("T1", mark, "ack", "at_risk")
    shown, _ = tickets.history("T1")
    assert [e["action"] for e in shown] == ["sla_at_risk"]

    tickets.acknowledge("T1", AcknowledgeRequest(text="hi"))
    assert world.stored()["sla"]["ack"] == "met"
    assert [e["action"] for e in world.repo.filed["T1"]] == ["sla_at_risk", "acknowledge"]
    assert all(e.get("seq") for e in world.stored()["history"])


# --- the customer writes --------------------------------------------------------------------


def test_a_new_conversation_opens_a_ticket_and_a_redelivery_changes_nothing(world):
    mention = world.mention(1)
    ticket, opened = intake.open_for_mention(mention)
    assert opened is True
    assert (ticket["id"], ticket["status"], ticket["customer_id"]) == ("T1", "open", "C1")
    assert ticket["next_due_at"] == ticket["ack_due_at"]
    assert world.started == ["T1:0"]
    writes = world.repo.writes

    again, opened = intake.open_for_mention(mention)
    assert (again["id"], opened) == ("T1", False)
    assert world.repo.writes == writes


def test_a_follow_up_joins_and_resumes_a_waiting_ticket(world):
    world.ticket(status="waiting", paused_from="acknowledged", paused_at=iso(utcnow()))
    joined, opened = intake.open_for_mention(world.mention(2, text="any news?"))
    assert (joined["id"], opened, joined["status"]) == ("T1", False, "acknowledged")
    assert joined["mention_ids"] == ["telegram:555:1", "telegram:555:2"]
    assert joined["history"][-1]["resumed"] is True
    assert world.started == ["T1:1"]


def test_a_message_needing_no_reply_is_recorded_on_the_resolved_ticket(world):
    world.ticket(status="resolved", resolved_at=iso(utcnow()))
    thanks = world.mention(2, text="thanks!", needs_reply=False)
    filed = intake.follow_up(thanks)
    assert filed is not None
    assert (filed["status"], filed["mention_count"]) == ("resolved", 2)
    assert filed["history"][-1]["note"] == "needs no reply: recorded without reopening"


def test_the_customer_reopens_within_the_window_and_opens_anew_after_it(world):
    world.ticket(status="resolved", resolved_at=iso(utcnow() - timedelta(days=1)))
    reopened, opened = intake.open_for_mention(world.mention(2, text="still broken"))
    assert (reopened["id"], opened, reopened["status"]) == ("T1", False, "in_progress")
    assert reopened["reopen_count"] == 1
    assert world.repo.loads == {"sara": 1}

    world.stored()["status"] = "resolved"
    world.stored()["resolved_at"] = iso(utcnow() - timedelta(days=8))
    fresh, opened = intake.open_for_mention(world.mention(3, text="broken again"))
    assert (fresh["id"], opened, fresh["previous_ticket_id"]) == ("T2", True, "T1")
    assert world.repo.open_ticket_of("telegram", "chat-1", "user-1") == "T2"


def test_a_csat_digit_is_recorded_once_without_reopening(world):
    world.ticket(status="resolved", resolved_at=iso(utcnow()), csat={"state": "asked"})
    answered, _ = intake.open_for_mention(world.mention(2, text="۴"))
    assert answered["status"] == "resolved"
    assert answered["csat"]["score"] == 4
    # a second digit is an ordinary message (here: it reopens within the window)
    again, _ = intake.open_for_mention(world.mention(3, text="5"))
    assert again["status"] == "in_progress"


def test_two_deliveries_racing_for_a_new_conversation_make_one_ticket(world, monkeypatch):
    first = world.mention(1)
    real_create = world.repo.create

    def loses_the_race(ticket, *, replaces=None):
        monkeypatch.setattr(world.repo, "create", real_create)
        real_create(record(id="T7", number=7, mention_id="telegram:555:9",
                           mention_ids=["telegram:555:9"]))  # fmt: skip
        return real_create(ticket, replaces=replaces)

    monkeypatch.setattr(world.repo, "create", loses_the_race)
    joined, opened = intake.open_for_mention(first)
    assert (joined["id"], opened) == ("T7", False)
    assert joined["mention_ids"] == ["telegram:555:9", "telegram:555:1"]


def test_the_record_reads_and_writes_its_item_exactly():
    item = {**record().to_item(), "viewing": {"omid": "2025"}, "csat": {"state": "asked"}}
    item["history"] = [*item["history"], {"at": "x", "action": "sla_at_risk", "clock": "ack",
                                          "unknown": 1}]  # fmt: skip
    assert type(record()).from_item(item).to_item() == item


def test_rules_refuse_illegal_moves_without_touching_anything():
    ticket = record(status="open")
    now = datetime(2025, 1, 1, 10, 30, tzinfo=UTC)
    with pytest.raises(Conflict):
        ticket.pause(by="sara", now=now, note=None)
    change = ticket.acknowledge(by="sara", now=now, message=None)
    assert change.changed == {"status", "acknowledged_at", "sla", "updated_by", "next_due_at"}
    assert change.changes()["sla"] == {"ack": "met", "resolve": "pending"}
    assert ticket.status == "open"  # the record itself never changes


# --- Idempotency-Key replays ----------------------------------------------------------------


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> MemoryIdempotencyStore:
    fake = MemoryIdempotencyStore()
    monkeypatch.setattr(idempotency, "store", fake)
    return fake


def _reply_once(key: str, text: str = "once") -> idempotency.Outcome:
    return idempotency.run(
        key,
        scope="reply:T1",
        body={"text": text},
        action=lambda: tickets.reply("T1", ReplyRequest(text=text)),
    )


def test_a_retried_reply_with_its_key_answers_the_first_answer_and_sends_once(world, keys):
    world.ticket(status="acknowledged")
    first = _reply_once("k1")
    again = _reply_once("k1")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.body == first.body
    assert world.sent == ["once"]
    assert world.stored()["version"] == 2

    with pytest.raises(idempotency.KeyReused):
        _reply_once("k1", text="another text")
    _reply_once("k2")  # a new key is a new intent
    assert world.sent == ["once", "once"]


def test_a_client_error_is_replayed_and_a_failed_send_frees_the_key(world, keys):
    world.ticket(status="resolved")
    with pytest.raises(Conflict):
        _reply_once("k1")
    replayed = _reply_once("k1")
    assert (replayed.replayed, replayed.status) == (True, 409)

    world.ticket(status="acknowledged")
    world.fail_send = True
    with pytest.raises(replies.PlatformSendFailed):
        _reply_once("k2")
    world.fail_send = False
    assert _reply_once("k2").replayed is False  # nothing went out: the retry runs again
    assert world.sent == ["once"]


def test_the_inbox_pages_a_partition_in_deadline_order(world):
    world.repo.put(record(id="T1", next_due_at="2025-01-01T12:00:00.000Z"))
    world.repo.put(record(id="T2", number=2, next_due_at="2025-01-01T11:00:00.000Z",
                          conversation={"platform": "telegram", "conversation_id": "chat-2",
                                        "author": {"id": "user-2"}}))  # fmt: skip
    world.repo.put(record(id="T3", number=3, status="resolved", assignee=None))
    first, cursor = tickets.inbox(InboxQuery(limit=1))
    second, end = tickets.inbox(InboxQuery(limit=1, cursor=cursor))
    assert ([t["id"] for t in first], [t["id"] for t in second], end) == (["T2"], ["T1"], None)
    resolved, _ = tickets.inbox(InboxQuery(status="resolved"))
    assert [t["id"] for t in resolved] == ["T3"]
