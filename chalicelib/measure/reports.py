"""Care, listening and engagement reports over a range of the brand's days.

Care and listening read only the day counter items (`REPORT#care`, `REPORT#listening`: one
Query, ~30 items for a month), written at event time by `measure/counters.py`. Engagement reads
the posts published in the range (calendar index), their latest metrics and tracked links
(BatchGetItem), follower counts per account (one Query each) and the listening days (questions
asked under each post). Every report says what it read (`read.calls`, `read.items`).

`?format=csv` renders the same numbers as one long table: a `section` column (overall, team,
agent, network, week, ...) and a `key` column, then the measures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.errors import Unprocessable
from chalicelib.measure import histogram
from chalicelib.measure.counters import day_of
from chalicelib.models import utcnow
from chalicelib.store import measure as store

MAX_DAYS = 366
TOP_TERMS = 20


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    """The report's days: `to` defaults to today (brand zone), `from` to 29 days before `to`."""
    last = end or date.fromisoformat(day_of(utcnow()))
    first = start or last - timedelta(days=29)
    if last < first:
        raise Unprocessable(
            "'to' must not be before 'from'", details=[{"field": "to", "problem": "before from"}]
        )
    if (last - first).days >= MAX_DAYS:
        raise Unprocessable(
            f"a report spans at most {MAX_DAYS} days",
            details=[{"field": "from", "problem": f"at most {MAX_DAYS} days before to"}],
        )
    return first, last


def week_of(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- care ---------------------------------------------------------------------------------------


class _CareGroup:
    def __init__(self) -> None:
        self.hist: dict[str, Counter[int]] = {"frt": Counter(), "res": Counter()}
        self.sla: dict[str, Counter[str]] = {"ack": Counter(), "resolve": Counter()}

    def add(self, metric: str, value: str, n: int) -> None:
        if metric in self.hist and value.startswith("b"):
            self.hist[metric][int(value[1:])] += n
        elif metric in self.sla:
            self.sla[metric][value] += n

    def as_dict(self) -> dict[str, Any]:
        def times(metric: str) -> dict[str, Any]:
            counts = self.hist[metric]
            return {
                "count": sum(counts.values()),
                "median_seconds": histogram.quantile(counts, 0.5),
                "p90_seconds": histogram.quantile(counts, 0.9),
            }

        def sla(clock: str) -> dict[str, Any]:
            counts = self.sla[clock]
            total = sum(counts[s] for s in ("met", "at_risk", "breached"))
            out: dict[str, Any] = {"total": total}
            for state in ("met", "at_risk", "breached"):
                out[state] = counts[state]
                out[f"{state}_pct"] = _pct(counts[state], total)
            return out

        return {
            "first_response": times("frt"),
            "resolution": times("res"),
            "sla": {"first_response": sla("ack"), "resolution": sla("resolve")},
        }


def care(start: date | None = None, end: date | None = None) -> dict[str, Any]:
    first, last = date_range(start, end)
    stats = store.ReadStats()
    days = store.day_counts(
        "care", first.isoformat(), last.isoformat(), stats, today=day_of(utcnow())
    )
    groups: dict[tuple[str, str], _CareGroup] = defaultdict(_CareGroup)
    responses: Counter[str] = Counter()
    intake: dict[str, Counter[str]] = defaultdict(Counter)
    for day, counters in days.items():
        week = week_of(day)
        for name, n in counters.items():
            metric, _, rest = name.partition("|")
            dimension, _, value = rest.rpartition("|")
            if metric == "intake":
                intake[week][value] += n
                continue
            if metric == "responses":
                if value.startswith("network:"):
                    responses[value.removeprefix("network:")] += n
                continue
            section, _, key = dimension.partition(":")
            groups[(section, key)].add(metric, value, n)
            if section == "all":
                groups[("week", week)].add(metric, value, n)
    total_responses = sum(responses.values())

    def section(name: str, label: str) -> list[dict[str, Any]]:
        return [
            {label: key, **groups[(s, key)].as_dict()}
            for s, key in sorted(k for k in groups if k[0] == name)
        ]

    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "overall": groups[("all", "")].as_dict(),
        "by_team": section("team", "team"),
        "by_agent": section("agent", "agent"),
        "by_network": section("network", "network"),
        "by_priority": section("priority", "priority"),
        "by_week": section("week", "week"),
        "responses": {
            "total": total_responses,
            "by_network": [
                {"network": net, "responses": n, "share_pct": _pct(n, total_responses)}
                for net, n in sorted(responses.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        },
        "intake": _intake(intake),
        "notes": {
            "first_response": "time from the ticket opening to its acknowledgement",
            "intake": "per ISO week: tickets agents opened from triage (or by hand from another "
            "mention), triage mentions dismissed, and labels (intent/sentiment) corrected",
            "quantiles": "nearest-rank, from a log histogram: within ±9 % of the exact value",
            "sla": "met / at_risk (met after an at-risk warning) / breached; percentages of total",
            "day": "the brand's day (CARE_TIMEZONE) of the acknowledgement or resolution",
        },
        "read": stats.as_dict(),
    }


def _intake(weeks: dict[str, Counter[str]]) -> dict[str, Any]:
    from chalicelib.measure.counters import INTAKE_EVENTS

    total: Counter[str] = Counter()
    for counts in weeks.values():
        total.update(counts)
    return {
        "total": {event: total[event] for event in INTAKE_EVENTS},
        "by_week": [
            {"week": week, **{event: weeks[week][event] for event in INTAKE_EVENTS}}
            for week in sorted(weeks)
        ],
    }


def care_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    def flat(section: str, key: str, group: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {"section": section, "key": key}
        for name in ("first_response", "resolution"):
            for field in ("count", "median_seconds", "p90_seconds"):
                row[f"{name}_{field}"] = group[name][field]
        for clock, counts in group["sla"].items():
            for field, value in counts.items():
                row[f"sla_{clock}_{field}"] = value
        return row

    rows = [flat("overall", "all", report["overall"])]
    for section, label in (
        ("by_team", "team"),
        ("by_agent", "agent"),
        ("by_network", "network"),
        ("by_priority", "priority"),
        ("by_week", "week"),
    ):
        rows += [flat(label, g[label], g) for g in report[section]]
    rows += [
        {"section": "responses", "key": r["network"], "responses": r["responses"]}
        | {"response_share_pct": r["share_pct"]}
        for r in report["responses"]["by_network"]
    ]
    rows += [{"section": "intake", "key": w["week"]} | w for w in report["intake"]["by_week"]]
    return rows


# --- listening ----------------------------------------------------------------------------------

SENTIMENTS = ("positive", "neutral", "negative")


def _sentiments(counters: Counter[str], prefix: str) -> dict[str, int]:
    return {s: counters[f"{prefix}:{s}"] for s in SENTIMENTS}


def _rule_names() -> dict[str, str]:
    try:
        from chalicelib.store import watch_rules

        names, cursor = {}, None
        while True:
            items, cursor = watch_rules.list_rules(limit=100, cursor=cursor, category=None)
            names.update({r["id"]: r.get("name") or r["id"] for r in items})
            if not cursor:
                return names
    except Exception:  # names are a nicety; ids are shown without them
        return {}


def listening(start: date | None = None, end: date | None = None) -> dict[str, Any]:
    first, last = date_range(start, end)
    stats = store.ReadStats()
    days = store.day_counts(
        "listening", first.isoformat(), last.isoformat(), stats, today=day_of(utcnow())
    )
    total: Counter[str] = Counter()
    trend = []
    for day in sorted(days):
        counters = Counter(days[day])
        total.update(counters)
        sentiment = {s: counters[f"s:{s}"] for s in SENTIMENTS}
        trend.append(
            {
                "day": day,
                "mentions": counters["n"],
                **sentiment,
                "net_sentiment": _pct(sentiment["positive"] - sentiment["negative"], counters["n"]),
            }
        )
    names = _rule_names()
    rules: dict[tuple[str, str], dict[str, Any]] = {}
    for name, n in total.items():
        parts = name.split(":")
        if parts[0] == "rule" and len(parts) == 3:
            _, category, rule_id = parts
            rules[(category, rule_id)] = {
                "rule_id": rule_id,
                "name": names.get(rule_id, rule_id),
                "category": category,
                "mentions": n,
                **_sentiments(total, name),
            }
    by_rule = sorted(rules.values(), key=lambda r: (-r["mentions"], r["rule_id"]))
    categories = sorted({n.split(":")[1] for n in total if n.count(":") == 1 and n[:4] == "cat:"})
    brand = {"subject": "brand", "mentions": total["cat:brand"], **_sentiments(total, "cat:brand")}
    competitors = [
        {"subject": r["name"], "rule_id": r["rule_id"], "mentions": r["mentions"]}
        | {s: r[s] for s in SENTIMENTS}
        for r in by_rule
        if r["category"] == "competitor"
    ]
    voices = [brand, *competitors]
    voice_total = sum(v["mentions"] for v in voices)
    for voice in voices:
        voice["share_pct"] = _pct(voice["mentions"], voice_total)

    def top(prefix: str) -> list[dict[str, Any]]:
        found = [(n, name[len(prefix) :]) for name, n in total.items() if name.startswith(prefix)]
        return [{"term": t, "mentions": n} for n, t in sorted(found, key=lambda x: (-x[0], x[1]))][
            :TOP_TERMS
        ]

    questions_by_network = {
        name.split(":")[1]: n
        for name, n in total.items()
        if name[:2] == "q:" and name.count(":") == 1
    }
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "mentions": total["n"],
        "sentiment": {s: total[f"s:{s}"] for s in SENTIMENTS},
        "by_network": {name[4:]: n for name, n in sorted(total.items()) if name.startswith("net:")},
        "by_category": [
            {"category": c, "mentions": total[f"cat:{c}"], **_sentiments(total, f"cat:{c}")}
            for c in categories
        ],
        "by_rule": by_rule,
        "sentiment_trend": trend,
        "share_of_voice": voices,
        "top_terms": top("t:"),
        "top_hashtags": top("h:"),
        "questions": {"total": total["intent:question"], "by_network": questions_by_network},
        "people": [r for r in by_rule if r["category"] in ("influencer", "figure")],
        # Mentions intake sent to triage instead of the inbox, by reason (issue 14).
        "triage": {
            name.removeprefix("triage:"): n
            for name, n in sorted(total.items())
            if name.startswith("triage:")
        },
        "notes": {
            "share_of_voice": "brand-category mentions vs each competitor rule's mentions",
            "terms": f"up to 5 content words and 5 hashtags counted per mention; top {TOP_TERMS}",
        },
        "read": stats.as_dict(),
    }


def listening_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"section": "overall", "key": "all", "mentions": report["mentions"], **report["sentiment"]}
    ]
    rows += [
        {"section": "category", "key": c.pop("category"), **c}
        for c in map(dict, report["by_category"])
    ]
    rows += [
        {"section": "rule", "key": r["rule_id"], **{k: v for k, v in r.items() if k != "rule_id"}}
        for r in report["by_rule"]
    ]
    rows += [
        {"section": "day", "key": d.pop("day"), **d} for d in map(dict, report["sentiment_trend"])
    ]
    rows += [
        {"section": "share_of_voice", "key": v["subject"], **v} for v in report["share_of_voice"]
    ]
    rows += [
        {"section": "term", "key": t["term"], "mentions": t["mentions"]}
        for t in report["top_terms"]
    ]
    rows += [
        {"section": "hashtag", "key": t["term"], "mentions": t["mentions"]}
        for t in report["top_hashtags"]
    ]
    rows += [
        {"section": "questions", "key": net, "mentions": n}
        for net, n in report["questions"]["by_network"].items()
    ]
    return rows


# --- engagement ---------------------------------------------------------------------------------


def engagement(start: date | None = None, end: date | None = None) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from chalicelib.measure import engagement as eng
    from chalicelib.publishing.times import from_iso
    from chalicelib.settings import get_settings
    from chalicelib.store import keys

    first, last = date_range(start, end)
    zone = ZoneInfo(get_settings().timezone)
    since = datetime.combine(first - timedelta(days=7), datetime.min.time(), tzinfo=zone)
    until = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    stats = store.ReadStats()
    posts = eng.published_since(since, until)
    stats.calls += 1
    stats.items += len(posts)
    latest = {
        (i["platform"], i["target_id"]): i
        for i in store.batch_get(
            (keys.engagement(p["network"], p["platform_id"]) for p in posts), stats
        )
    }
    codes = {t["code"] for p in posts for t in p.get("tracked_links") or [] if t.get("code")}
    clicks = {
        i["code"]: int(i.get("clicks", 0))
        for i in store.batch_get((keys.link(c) for c in codes), stats)
    }
    listening_days = store.day_counts(
        "listening",
        (first - timedelta(days=7)).isoformat(),
        last.isoformat(),
        stats,
        today=day_of(utcnow()),
    )
    questions: Counter[str] = Counter()
    for counters in listening_days.values():
        questions.update({k: v for k, v in counters.items() if k[:2] == "q:" and k.count(":") >= 2})

    followers: dict[tuple[str, str], dict[str, int]] = {}
    for account in store.accounts(stats):
        followers[(account["network"], account["account_id"])] = store.followers_between(
            account["network"],
            account["account_id"],
            (first - timedelta(days=7)).isoformat(),
            last.isoformat(),
            stats,
        )

    def followers_on(network: str, account: str, day: str) -> int | None:
        known = followers.get((network, account)) or {}
        before = [d for d in known if d <= day]
        return known[max(before)] if before else (known[min(known)] if known else None)

    rows = []
    for post in sorted(posts, key=lambda p: p["published_at"]):
        day = day_of(from_iso(post["published_at"]))
        metrics = eng.normalise(
            (latest.get((post["network"], post["platform_id"])) or {}).get("metrics") or {}
        )
        link_clicks = sum(clicks.get(t.get("code"), 0) for t in post.get("tracked_links") or [])
        engaged = eng.engagements(metrics, link_clicks)
        rate, basis = eng.rate(
            metrics, engaged, followers_on(post["network"], post["account_id"], day)
        )
        rows.append(
            {
                "post_id": post["id"],
                "network": post["network"],
                "account_id": post["account_id"],
                "published_at": post["published_at"],
                "day": day,
                "week": week_of(day),
                "url": post.get("url"),
                **{m: metrics.get(m, 0) for m in (*eng.ENGAGEMENT_METRICS, *eng.REACH_METRICS)},
                "link_clicks": link_clicks,
                "questions": questions.get(f"q:{post['network']}:{post['platform_id']}", 0),
                "engagements": engaged,
                "engagement_rate": round(rate, 6) if rate is not None else None,
                "rate_basis": basis,
                "_denominator": engaged / rate if rate else None,
            }
        )
    in_range = [r for r in rows if first.isoformat() <= r["day"] <= last.isoformat()]

    def totals(group: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"posts": len(group)}
        for m in (
            "reactions",
            "comments",
            "shares",
            "saves",
            "link_clicks",
            "questions",
            "engagements",
        ):
            out[m] = sum(r[m] for r in group)
        rated = [r for r in group if r["_denominator"]]
        seen = sum(r["_denominator"] for r in rated)
        out["engagement_rate"] = (
            round(sum(r["engagements"] for r in rated) / seen, 6) if seen else None
        )
        return out

    networks = sorted({r["network"] for r in rows} | {n for n, _ in followers})
    by_network = []
    for network in networks:
        group = [r for r in in_range if r["network"] == network]
        start_count = end_count = 0
        known_any = False
        for (net, account), days in followers.items():
            if net != network or not days:
                continue
            known_any = True
            start_count += followers_on(net, account, first.isoformat()) or 0
            end_count += followers_on(net, account, last.isoformat()) or 0
        by_network.append(
            {
                "network": network,
                **totals(group),
                "followers_start": start_count if known_any else None,
                "followers_end": end_count if known_any else None,
                "follower_growth": end_count - start_count if known_any else None,
            }
        )
    weeks = []
    first_week = week_of(first.isoformat())
    for network in networks:
        previous = None
        mine = [r for r in rows if r["network"] == network]
        for week in sorted({r["week"] for r in mine}):
            current = totals([r for r in mine if r["week"] == week])
            change = None
            if previous is not None and previous["engagements"]:
                delta = current["engagements"] - previous["engagements"]
                change = round(100.0 * delta / previous["engagements"], 1)
            if week >= first_week:
                weeks.append(
                    {"network": network, "week": week, **current, "engagements_change_pct": change}
                )
            previous = current
    for row in rows:
        row.pop("_denominator")
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "posts": in_range,
        "by_network": by_network,
        "by_week": weeks,
        "notes": {
            "engagements": "reactions + comments + shares + saves + clicks (tracked or platform)",
            "engagement_rate": "per impression/view/reach where reported, else per follower",
            "week_over_week": "engagements of a week's posts vs the previous week's posts",
        },
        "read": stats.as_dict(),
    }


def engagement_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{"section": "post", "key": p["post_id"], **p} for p in report["posts"]]
    rows += [{"section": "network", "key": n["network"], **n} for n in report["by_network"]]
    rows += [
        {"section": "week", "key": f"{w['network']} {w['week']}", **w} for w in report["by_week"]
    ]
    return rows


ROWS = {"care": care_rows, "listening": listening_rows, "engagement": engagement_rows}


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Reports go through the one export writer (formula cells neutralised)."""
    from chalicelib.csvexport import to_csv as write

    return write(rows)
