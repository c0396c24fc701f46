"""Every partition and sort key of the single table is built here, and nowhere else.

Access patterns (all Query or GetItem, never Scan):

| pattern                            | index | key condition                               |
|------------------------------------|-------|---------------------------------------------|
| store a mention once / read it     | table | pk=MENTION#{platform}#{id}, sk=MENTION      |
| mentions newest first              | gsi1  | gsi1pk=MENTIONS (desc)                      |
| mentions of one platform           | gsi2  | gsi2pk=MENTIONS#{platform} (desc)           |
| triage: mentions no ticket took    | gsi3  | gsi3pk=TRIAGE (desc, sparse)                |
| latest engagement of an object     | table | pk=ENGAGEMENT#{platform}#{id}, sk=LATEST    |
| engagement events on an object     | table | pk=ENGAGEMENT#{platform}#{id}, sk^=DELTA#   |
| quarantine record of a message     | table | pk=QUARANTINE#{message_id}, sk=QUARANTINE   |
| quarantine newest first            | gsi1  | gsi1pk=QUARANTINE (desc)                    |
| authenticate a bearer token        | table | pk=TOKEN#{sha256(token)}, sk=TOKEN          |
| list tokens                        | gsi1  | gsi1pk=TOKENS                               |
| find a token by its public id      | gsi2  | gsi2pk=TOKENID#{token_id}                   |
| read / update a post               | table | pk=POST#{id}, sk=POST                       |
| posts newest first                 | gsi1  | gsi1pk=POSTS (desc)                         |
| calendar: posts planned in a range | gsi2  | gsi2pk=CAL#{YYYY-MM}, gsi2sk between times  |
| posts due for the sweep            | gsi3  | gsi3pk=DUE#POST, gsi3sk <= now (sparse)     |
| cadence rules                      | table | pk=CADENCE, sk begins_with RULE#            |
| resolve / count a tracked link     | table | pk=LINK#{code}, sk=LINK                     |
| tracked links newest first         | gsi1  | gsi1pk=LINKS (desc)                         |
| a person's notification contact    | table | pk=CONTACT#{agent}, sk=CONTACT              |
| a team's escalation (manager, chan)| table | pk=ESCALATION#{team}, sk=ESCALATION         |
| one delivery of one notification   | table | pk=NOTIFIED#{notice}#{who}#{channel}, sk=N  |
| read / update a ticket (versioned) | table | pk=TICKET#{id}, sk=TICKET                   |
| a ticket's history, newest first   | table | pk=TICKET#{id}, sk^=HIST# (desc, paged)     |
| a ticket's customer messages       | table | pk=TICKET#{id}, sk^=MSG# (desc, paged)      |
| next ticket number (atomic ADD)    | table | pk=COUNTER#TICKET, sk=COUNTER               |
| open ticket of a conversation      | table | pk=CONVERSATION#{platform}#{conv}#{author}, |
|   (conditional-put marker)         |       |   sk=OPEN_TICKET                            |
| a customer's tickets, newest first | table | pk=CUSTOMER#{platform}#{author},            |
|   (written with the ticket)        |       |   sk=TICKET#{created}#{id}                  |
| first answer of an Idempotency-Key | table | pk=IDEMPOTENCY#{sha256(who, key)}, sk=I... |
|   (conditional put, TTL 24 h)      |       |                                             |
| tickets opened in a time range    | table | pk=TICKETS#OPENED#{YYYY-MM},               |
|   (ticket rows report; with ticket)|       |   sk BETWEEN {from ISO} AND {to ISO}~       |
| a customer and their identities    | table | pk=PERSON#{id}, sk=PROFILE / IDENTITY#...   |
| the customer of an identity        | table | pk=IDENTITY#{platform}#{author}, sk=IDENTITY|
| customers by name/handle prefix    | gsi1  | gsi1pk=PEOPLE, begins_with(gsi1sk, term)    |
| a customer's erasure record        | table | pk=ERASURE#{id}, sk=ERASURE                 |
| inbox: active or resolved tickets  | gsi1  | gsi1pk=TICKETS#{active|resolved}            |
| inbox of one team                  | gsi2  | gsi2pk=TICKETS#TEAM#{team}#{state}          |
| inbox of one agent (sparse)        | gsi3  | gsi3pk=TICKETS#AGENT#{agent}#{state}        |
| read / write a team                | table | pk=TEAM#{team_id}, sk=TEAM                  |
| list teams (routing rules)         | gsi1  | gsi1pk=TEAMS                                |
| an agent's open-ticket counter     | table | pk=AGENT#{agent}, sk=LOAD (BatchGetItem)    |
| read / write a template            | table | pk=TEMPLATE#{id}, sk=TEMPLATE               |
| templates by kind and language     | gsi1  | gsi1pk=TEMPLATES, gsi1sk={kind}#{lang}#{id} |
| default templates seeded (once)    | table | pk=SEED#templates, sk=SEED                  |
| read / write one watch rule        | table | pk=RULE#{id}, sk=RULE                       |
| all watch rules (matcher load)     | gsi1  | gsi1pk=RULES (oldest first, every page)     |
| watch-rule set version (cache)     | table | pk=RULESET, sk=VERSION                      |
| hourly listening counters          | table | pk=COUNTS, sk=HOUR#{YYYY-MM-DDTHH}          |
| trailing counters (spike baseline) | table | pk=COUNTS, sk BETWEEN two hours (one Query) |
| one alert per kind/subject/window  | table | pk=ALERT#{kind}#{subject}#{window}, sk=ALERT|
| alerts newest first                | gsi1  | gsi1pk=ALERTS (desc)                        |
| a team's SLA policy (calendar, targets) | table | pk=SLAPOLICY#{team}, sk=POLICY         |
| report counters of one day (ADD)   | table | pk=REPORT#{care|listening}, sk=DAY#{date}   |
| report counters of a date range    | table | pk=REPORT#{kind}, sk BETWEEN two days       |
| a settled week's counters (rollup) | table | pk=REPORT#{kind}, sk=WEEK#{monday}          |
| a post's metrics at one pull (hour)| table | pk=ENGAGEMENT#{net}#{id}, sk=HOUR#{hour}    |
| an account's followers per day     | table | pk=FOLLOWERS#{net}#{account}, sk=DAY#{date} |
| accounts seen by the metrics pull  | table | pk=ACCOUNTS, sk={network}#{account}         |
| competitor observations by network | table | pk=OBS#{network}, sk={posted_at}#{id}       |
| one labelled correction            | table | pk=CORRECTION#{id}, sk=CORRECTION           |
| corrections oldest/newest first    | gsi1  | gsi1pk=CORRECTIONS, gsi1sk={at}#{id}        |
| corrections of one mention         | gsi2  | gsi2pk=CORRECTIONS#{mention_id}, gsi2sk=at  |
| one stored model, its chunks       | table | pk=MODEL#{version}, sk=CHUNK#{nnnn}         |
| a stored model's header            | table | pk=MODEL#{version}, sk=META                 |
| the live-model pointer (swap)      | table | pk=CLASSIFIER, sk=LIVE                      |
| swap / retrain history             | table | pk=CLASSIFIER, sk=SWAP#{at}#{version}       |

Triage (issue 14) reuses the sparse gsi3 with its own partition value: a mention carries
`gsi3pk=TRIAGE` only while it waits there (written in its single PutItem when intake sends it to
triage; removed by the ticket stamp that files it on a ticket, or by a dismissal), so `GET
/triage` reads only waiting mentions, newest first, and a handled one simply drops out. Its
filters (platform, language, intent, reason) are FilterExpressions on that small partition.

Corrections (issue 14) are listed newest first for the console and oldest first, every page, by
the weekly retrain and the JSON-lines export (a background job, not a hot path). A stored model
is split into chunks under DynamoDB's 400 KB item limit; the `LIVE` pointer names the serving
version, so a swap or a rollback is one conditional UpdateItem of that pointer.

Posts are planned by UTC month (`CAL#2025-03`): a calendar range is one Query per month it
touches, and cadence checks read the same partitions. The due index is sparse: a post carries
`gsi3pk` only while a worker owes it something (scheduled: due at its time or next retry;
publishing: due again when its lease expires), so the sweep's Query reads nothing when nothing
is due and exactly the due posts when thousands are.

Ticket inbox sort keys are `{next deadline ISO}#{ticket id}` for active tickets (ascending: the
most urgent first) and `{resolved_at}#{ticket id}` for resolved ones (read newest first). The
`state` in an inbox partition is `active` (every status but resolved) or `resolved`; the other
filters (status, platform, priority, SLA state, team on the agent index) are FilterExpressions on
the chosen partition. Every ticket write recomputes these attributes, so they never go stale.

Timeline sort keys are `{ISO-8601 UTC}#{id}`: lexical order is time order and the id keeps two
items of the same millisecond apart. The single MENTIONS partition on gsi1 takes ~1,000 writes/s,
four orders of magnitude above a small business's volume; shard it by month if that ever changes.

Filtered mention listings (`GET /mentions?category=&rule=&sentiment=&intent=&language=&text=`)
are a Query on a time-ordered timeline (gsi2 when a platform is given, else gsi1) with the time
range as the key condition (`gsi?sk BETWEEN from AND to`) and the rest as a FilterExpression.
Trade-off, chosen on purpose: a filter costs read units for every item it examines, matching or
not (~0.5 RCU per 4 KB read eventually consistent), while an index per filter value would cost a
write unit per mention per index and break "one write per new mention" for multi-valued fields
(a mention has several categories and rules). At a small business's volume (10^3–10^5 mentions a
month) a bounded filtered Query is cents; each request examines at most
`mentions.FILTER_READ_BUDGET` items and returns a cursor to continue, so a rare filter never turns
into an unbounded read. The time range is what keeps it cheap: clients should always send one.
If one filter ever dominates (say `category=brand` over a huge industry stream), give it a sparse
GSI (gsi3pk set only on brand mentions) rather than widening the filter.

Reports (issue 8) read day items, never the mentions or tickets themselves: each stored mention
ADDs to its day's `REPORT#listening` item and each ticket acknowledgement / resolution / reply ADDs
to its day's `REPORT#care` item (see measure/counters.py), so a month is one Query of ~30 items.
Posts published in a range are found on the calendar index (gsi2, `CAL#{month}`, filtered to
`status = published`): a small business plans a few posts a day, so no extra index is needed.

The hourly counter item takes one UpdateItem (ADD of every matched rule's counter at once) per
stored mention that matched a rule or is a negative brand mention; see listening/alerts.py.
"""

from __future__ import annotations

Key = dict[str, str]

MENTIONS = "MENTIONS"
QUARANTINE = "QUARANTINE"
TOKENS = "TOKENS"
RULES = "RULES"
ALERTS = "ALERTS"
COUNTS = "COUNTS"


def mention(platform: str, platform_id: str) -> Key:
    return {"pk": f"MENTION#{platform}#{platform_id}", "sk": "MENTION"}


def mention_timelines(platform: str, created_iso: str, mention_id: str) -> Key:
    sort = f"{created_iso}#{mention_id}"
    return {
        "gsi1pk": MENTIONS,
        "gsi1sk": sort,
        "gsi2pk": f"{MENTIONS}#{platform}",
        "gsi2sk": sort,
    }


TRIAGE = "TRIAGE"


def mention_triage(created_iso: str, mention_id: str) -> Key:
    """Index attributes of a mention waiting in triage (sparse: absent once it is handled)."""
    return {"gsi3pk": TRIAGE, "gsi3sk": f"{created_iso}#{mention_id}"}


TRIAGE_INDEX_ATTRIBUTES = ("gsi3pk", "gsi3sk")


def mentions_by_platform(platform: str) -> str:
    return f"{MENTIONS}#{platform}"


def engagement(platform: str, target_id: str) -> Key:
    return {"pk": f"ENGAGEMENT#{platform}#{target_id}", "sk": "LATEST"}


def engagement_delta(platform: str, target_id: str, observed_iso: str, delta_id: str) -> Key:
    """One webhook engagement event (a like, a reaction); time-ordered beside the totals."""
    return {
        "pk": f"ENGAGEMENT#{platform}#{target_id}",
        "sk": f"{ENGAGEMENT_DELTA}{observed_iso}#{delta_id}",
    }


ENGAGEMENT_DELTA = "DELTA#"


def quarantine(message_id: str) -> Key:
    return {"pk": f"QUARANTINE#{message_id}", "sk": "QUARANTINE"}


def quarantine_timeline(received_iso: str, message_id: str) -> Key:
    return {"gsi1pk": QUARANTINE, "gsi1sk": f"{received_iso}#{message_id}"}


def token(token_hash: str) -> Key:
    return {"pk": f"TOKEN#{token_hash}", "sk": "TOKEN"}


def token_timeline(created_iso: str, token_id: str) -> Key:
    return {
        "gsi1pk": TOKENS,
        "gsi1sk": f"{created_iso}#{token_id}",
        "gsi2pk": f"TOKENID#{token_id}",
        "gsi2sk": "TOKEN",
    }


def token_by_id(token_id: str) -> str:
    return f"TOKENID#{token_id}"


POSTS = "POSTS"
DUE_POSTS = "DUE#POST"
CADENCE = "CADENCE"
LINKS = "LINKS"


def post(post_id: str) -> Key:
    return {"pk": f"POST#{post_id}", "sk": "POST"}


def post_timeline(created_iso: str, post_id: str) -> Key:
    return {"gsi1pk": POSTS, "gsi1sk": f"{created_iso}#{post_id}"}


def calendar_month(at_iso: str) -> str:
    """The calendar partition of a UTC instant: `CAL#YYYY-MM`."""
    return f"CAL#{at_iso[:7]}"


def post_calendar(at_iso: str, post_id: str) -> Key:
    return {"gsi2pk": calendar_month(at_iso), "gsi2sk": f"{at_iso}#{post_id}"}


def post_due(due_iso: str, post_id: str) -> Key:
    return {"gsi3pk": DUE_POSTS, "gsi3sk": f"{due_iso}#{post_id}"}


def due_upper_bound(now_iso: str) -> str:
    """Largest due sort key at `now`: '~' sorts after '#' and every id character."""
    return f"{now_iso}~"


def cadence_rule(network: str, account_id: str | None) -> Key:
    return {"pk": CADENCE, "sk": f"RULE#{network}#{account_id or '*'}"}


def link(code: str) -> Key:
    return {"pk": f"LINK#{code}", "sk": "LINK"}


def link_timeline(created_iso: str, code: str) -> Key:
    return {"gsi1pk": LINKS, "gsi1sk": f"{created_iso}#{code}"}


def contact(agent: str) -> Key:
    return {"pk": f"CONTACT#{agent}", "sk": "CONTACT"}


def escalation(team: str) -> Key:
    return {"pk": f"ESCALATION#{team}", "sk": "ESCALATION"}


def notification_delivery(notice: str, recipient: str, channel: str) -> Key:
    return {"pk": f"NOTIFIED#{notice}#{recipient}#{channel}", "sk": "NOTIFIED"}


TICKETS = "TICKETS"
TEAMS = "TEAMS"
TEMPLATES = "TEMPLATES"
TICKET_COUNTER: Key = {"pk": "COUNTER#TICKET", "sk": "COUNTER"}
TEMPLATE_SEED: Key = {"pk": "SEED#templates", "sk": "SEED"}


def ticket(ticket_id: str) -> Key:
    return {"pk": f"TICKET#{ticket_id}", "sk": "TICKET"}


TICKET_HISTORY = "HIST#"
TICKET_MESSAGES = "MSG#"


def ticket_partition(ticket_id: str) -> str:
    return ticket(ticket_id)["pk"]


def ticket_history(ticket_id: str, at_iso: str, seq: str) -> Key:
    """One history entry of a ticket, beside it: `HIST#{at}#{seq}` sorts in time order, and
    `seq` (the ticket version the entry was written with, or a unique tag) keeps two entries
    of one millisecond apart. History lives here, not in the ticket item, so a ticket with
    thousands of messages stays a small item (issue 16, item 6)."""
    return {"pk": ticket_partition(ticket_id), "sk": f"{TICKET_HISTORY}{at_iso}#{seq}"}


def ticket_message(ticket_id: str, at_iso: str, mention_id: str) -> Key:
    """One customer message (mention) that joined a ticket, in arrival order."""
    return {"pk": ticket_partition(ticket_id), "sk": f"{TICKET_MESSAGES}{at_iso}#{mention_id}"}


def open_conversation(platform: str, conversation: str, author_id: str) -> Key:
    """The marker naming a conversation's open ticket; a conditional put makes it unique."""
    return {"pk": f"CONVERSATION#{platform}#{conversation}#{author_id}", "sk": "OPEN_TICKET"}


def customer_ticket(platform: str, author_id: str, created_iso: str, ticket_id: str) -> Key:
    """One ticket of one customer (platform + author id), sorted by when it opened."""
    return {"pk": customer(platform, author_id), "sk": f"TICKET#{created_iso}#{ticket_id}"}


def customer(platform: str, author_id: str) -> str:
    return f"CUSTOMER#{platform}#{author_id}"


# --- care for teams (issue 13): idempotent actions ---------------------------------------------


def idempotency(digest: str) -> Key:
    """One `Idempotency-Key` of one principal (sha256 of both), expiring by TTL."""
    return {"pk": f"IDEMPOTENCY#{digest}", "sk": "IDEMPOTENCY"}


def tickets_opened(month: str) -> str:
    """Tickets opened in one UTC month (`YYYY-MM`): the ticket rows report's index."""
    return f"TICKETS#OPENED#{month}"


def ticket_opened(created_iso: str, ticket_id: str) -> Key:
    return {"pk": tickets_opened(created_iso[:7]), "sk": f"{created_iso}#{ticket_id}"}


PEOPLE = "PEOPLE"


def person(customer_id: str) -> Key:
    """A customer record (a person across networks); their identities share the partition."""
    return {"pk": f"PERSON#{customer_id}", "sk": "PROFILE"}


def person_partition(customer_id: str) -> str:
    return f"PERSON#{customer_id}"


def person_identity(customer_id: str, platform: str, author_id: str) -> Key:
    return {"pk": person_partition(customer_id), "sk": f"IDENTITY#{platform}#{author_id}"}


def person_search(customer_id: str, term: str) -> Key:
    """One searchable name or handle of a person, on gsi1 (prefix Query, no Scan)."""
    return {
        "pk": person_partition(customer_id),
        "sk": f"SEARCH#{term}",
        "gsi1pk": PEOPLE,
        "gsi1sk": f"{term}#{customer_id}",
    }


def identity(platform: str, author_id: str) -> Key:
    """Which customer an identity (a Telegram user, an Instagram account...) belongs to."""
    return {"pk": f"IDENTITY#{platform}#{author_id}", "sk": "IDENTITY"}


def erasure(customer_id: str) -> Key:
    return {"pk": f"ERASURE#{customer_id}", "sk": "ERASURE"}


def inbox_all(state: str) -> str:
    return f"{TICKETS}#{state}"


def inbox_team(team: str, state: str) -> str:
    return f"{TICKETS}#TEAM#{team}#{state}"


def inbox_agent(agent: str, state: str) -> str:
    return f"{TICKETS}#AGENT#{agent}#{state}"


def ticket_inboxes(
    ticket_id: str, *, state: str, sort_at: str, team: str | None, assignee: str | None
) -> dict[str, str | None]:
    """Index attributes of a ticket; None means REMOVE (the agent index is sparse)."""
    sort = f"{sort_at}#{ticket_id}"
    return {
        "gsi1pk": inbox_all(state),
        "gsi1sk": sort,
        "gsi2pk": inbox_team(team, state) if team else None,
        "gsi2sk": sort if team else None,
        "gsi3pk": inbox_agent(assignee, state) if assignee else None,
        "gsi3sk": sort if assignee else None,
    }


def team(team_id: str) -> Key:
    return {"pk": f"TEAM#{team_id}", "sk": "TEAM"}


def team_timeline(team_id: str) -> Key:
    return {"gsi1pk": TEAMS, "gsi1sk": team_id}


def agent_load(agent: str) -> Key:
    return {"pk": f"AGENT#{agent}", "sk": "LOAD"}


def template(template_id: str) -> Key:
    return {"pk": f"TEMPLATE#{template_id}", "sk": "TEMPLATE"}


def template_timeline(kind: str, language: str, template_id: str) -> Key:
    return {"gsi1pk": TEMPLATES, "gsi1sk": f"{kind}#{language}#{template_id}"}


def watch_rule(rule_id: str) -> Key:
    return {"pk": f"RULE#{rule_id}", "sk": "RULE"}


def watch_rule_timeline(created_iso: str, rule_id: str) -> Key:
    return {"gsi1pk": RULES, "gsi1sk": f"{created_iso}#{rule_id}"}


def ruleset_version() -> Key:
    return {"pk": "RULESET", "sk": "VERSION"}


def hour_sort(hour: str) -> str:
    """`hour` is `YYYY-MM-DDTHH` (UTC)."""
    return f"HOUR#{hour}"


def counters(hour: str) -> Key:
    return {"pk": COUNTS, "sk": hour_sort(hour)}


def alert(kind: str, subject: str, window: str) -> Key:
    return {"pk": f"ALERT#{kind}#{subject}#{window}", "sk": "ALERT"}


def alert_timeline(raised_iso: str, alert_id: str) -> Key:
    return {"gsi1pk": ALERTS, "gsi1sk": f"{raised_iso}#{alert_id}"}


def sla_policy(team: str) -> Key:
    return {"pk": f"SLAPOLICY#{team}", "sk": "POLICY"}


# --- measurement (issue 8) ---------------------------------------------------------------------

ACCOUNTS = "ACCOUNTS"


def report_partition(kind: str) -> str:
    return f"REPORT#{kind}"


def day_sort(day: str) -> str:
    """`day` is `YYYY-MM-DD` in the brand's time zone."""
    return f"DAY#{day}"


def report_day(kind: str, day: str) -> Key:
    return {"pk": report_partition(kind), "sk": day_sort(day)}


def report_week(kind: str, monday: str) -> Key:
    """A settled week's day counters, rolled up into one attribute (see store/measure.py)."""
    return {"pk": report_partition(kind), "sk": f"WEEK#{monday}"}


def metrics_hour(network: str, platform_id: str, hour: str) -> Key:
    """One pull's metrics of a published post, beside its webhook engagement (same partition)."""
    return {"pk": engagement(network, platform_id)["pk"], "sk": hour_sort(hour)}


def followers_partition(network: str, account_id: str) -> str:
    return f"FOLLOWERS#{network}#{account_id}"


def followers_day(network: str, account_id: str, day: str) -> Key:
    return {"pk": followers_partition(network, account_id), "sk": day_sort(day)}


def account(network: str, account_id: str) -> Key:
    return {"pk": ACCOUNTS, "sk": f"{network}#{account_id}"}


def observations_partition(network: str) -> str:
    return f"OBS#{network}"


def observation(network: str, posted_iso: str, observation_id: str) -> Key:
    return {"pk": observations_partition(network), "sk": f"{posted_iso}#{observation_id}"}


# --- classifier: corrections and the live model (issue 14) -------------------------------------
CORRECTIONS = "CORRECTIONS"
CLASSIFIER = "CLASSIFIER"
CLASSIFIER_SWAP = "SWAP#"


def correction(correction_id: str) -> Key:
    return {"pk": f"CORRECTION#{correction_id}", "sk": "CORRECTION"}


def correction_timelines(at_iso: str, correction_id: str, mention_id: str) -> Key:
    return {
        "gsi1pk": CORRECTIONS,
        "gsi1sk": f"{at_iso}#{correction_id}",
        "gsi2pk": corrections_of_mention(mention_id),
        "gsi2sk": f"{at_iso}#{correction_id}",
    }


def corrections_of_mention(mention_id: str) -> str:
    return f"{CORRECTIONS}#{mention_id}"


def model_partition(version: str) -> str:
    return f"MODEL#{version}"


def model_meta(version: str) -> Key:
    return {"pk": model_partition(version), "sk": "META"}


def model_chunk(version: str, index: int) -> Key:
    return {"pk": model_partition(version), "sk": f"CHUNK#{index:04d}"}


MODEL_CHUNK_PREFIX = "CHUNK#"


def classifier_live() -> Key:
    return {"pk": CLASSIFIER, "sk": "LIVE"}


def classifier_swap(at_iso: str, version: str) -> Key:
    return {"pk": CLASSIFIER, "sk": f"{CLASSIFIER_SWAP}{at_iso}#{version}"}
