"""Every partition and sort key of the single table is built here, and nowhere else.

Access patterns (all Query or GetItem, never Scan):

| pattern                            | index | key condition                               |
|------------------------------------|-------|---------------------------------------------|
| store a mention once / read it     | table | pk=MENTION#{platform}#{id}, sk=MENTION      |
| mentions newest first              | gsi1  | gsi1pk=MENTIONS (desc)                      |
| mentions of one platform           | gsi2  | gsi2pk=MENTIONS#{platform} (desc)           |
| latest engagement of an object     | table | pk=ENGAGEMENT#{platform}#{id}, sk=LATEST    |
| quarantine record of a message     | table | pk=QUARANTINE#{message_id}, sk=QUARANTINE   |
| quarantine newest first            | gsi1  | gsi1pk=QUARANTINE (desc)                    |
| authenticate a bearer token        | table | pk=TOKEN#{sha256(token)}, sk=TOKEN          |
| list tokens                        | gsi1  | gsi1pk=TOKENS                               |
| find a token by its public id      | gsi2  | gsi2pk=TOKENID#{token_id}                   |
| read / write one watch rule        | table | pk=RULE#{id}, sk=RULE                       |
| all watch rules (matcher load)     | gsi1  | gsi1pk=RULES (oldest first, every page)     |
| watch-rule set version (cache)     | table | pk=RULESET, sk=VERSION                      |
| hourly listening counters          | table | pk=COUNTS, sk=HOUR#{YYYY-MM-DDTHH}          |
| trailing counters (spike baseline) | table | pk=COUNTS, sk BETWEEN two hours (one Query) |
| one alert per kind/subject/window  | table | pk=ALERT#{kind}#{subject}#{window}, sk=ALERT|
| alerts newest first                | gsi1  | gsi1pk=ALERTS (desc)                        |

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


def mentions_by_platform(platform: str) -> str:
    return f"{MENTIONS}#{platform}"


def engagement(platform: str, target_id: str) -> Key:
    return {"pk": f"ENGAGEMENT#{platform}#{target_id}", "sk": "LATEST"}


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
