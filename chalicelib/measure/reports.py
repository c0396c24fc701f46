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
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.clock import utcnow
from chalicelib.errors import Unprocessable
from chalicelib.measure import counter_keys as ck
from chalicelib.measure import histogram
from chalicelib.measure.counters import day_of
from chalicelib.observability import count, logger
from chalicelib.store import measure as store
from chalicelib.store.post_record import Post

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


def _decoded(kind: ck.ReportKind, day: str, counters: dict[str, int]) -> dict[ck.CounterKey, int]:
    """A day's counters as typed keys. A name the codec does not know (written by a newer
    release, or by hand) adds to no report; it is logged and counted so it is not lost quietly."""
    decoded = ck.decode_all(kind, counters)
    if decoded.unknown:
        count("ReportUnknownCounters", len(decoded.unknown))
        logger.warning(
            "report counters not understood", report=kind, day=day, names=decoded.unknown[:20]
        )
    return decoded.counts


# --- care ---------------------------------------------------------------------------------------


class _CareGroup:
    def __init__(self) -> None:
        self.hist: dict[str, Counter[int]] = {"frt": Counter(), "res": Counter()}
        self.sla: dict[str, Counter[str]] = {"ack": Counter(), "resolve": Counter()}

    def add(self, key: ck.Duration | ck.SlaOutcome, n: int) -> None:
        if isinstance(key, ck.Duration):
            self.hist[key.metric][key.bucket] += n
        else:
            self.sla[key.clock][key.state] += n

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
    weekly_responses: dict[str, Counter[str]] = defaultdict(Counter)
    intake: dict[str, Counter[str]] = defaultdict(Counter)
    for day, counters in days.items():
        week = week_of(day)
        for key, n in _decoded(ck.CARE, day, counters).items():
            if isinstance(key, ck.Intake):
                intake[week][key.event] += n
            elif isinstance(key, ck.Responses):
                if key.network is not None:
                    responses[key.network] += n
                    weekly_responses[week][key.network] += n
            elif isinstance(key, ck.Duration | ck.SlaOutcome):
                dimension = key.dimension
                groups[(dimension.section, dimension.value)].add(key, n)
                if dimension == ck.ALL:
                    groups[("week", week)].add(key, n)
    total_responses = sum(responses.values())

    def grouped(name: str) -> list[dict[str, Any]]:
        return [
            {name: key, **groups[(kind, key)].as_dict()}
            for kind, key in sorted(k for k in groups if k[0] == name)
        ]

    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "overall": groups[("all", "")].as_dict(),
        "by_team": grouped("team"),
        "by_agent": grouped("agent"),
        "by_network": grouped("network"),
        "by_priority": grouped("priority"),
        "by_week": grouped("week"),
        "responses": {
            "total": total_responses,
            "by_network": [
                {"network": net, "responses": n, "share_pct": _pct(n, total_responses)}
                for net, n in sorted(responses.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            # Each network's share of our responses over time (a manager's stacked chart).
            "by_week": [
                {
                    "week": week,
                    "network": net,
                    "responses": n,
                    "share_pct": _pct(n, sum(weekly_responses[week].values())),
                }
                for week in sorted(weekly_responses)
                for net, n in sorted(weekly_responses[week].items())
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
    total: Counter[str] = Counter()
    for counts in weeks.values():
        total.update(counts)
    return {
        "total": {event: total[event] for event in ck.INTAKE_EVENTS},
        "by_week": [
            {"week": week, **{event: weeks[week][event] for event in ck.INTAKE_EVENTS}}
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
    rows += [
        {"section": "responses_week", "key": f"{r['network']} {r['week']}"}
        | {"responses": r["responses"], "response_share_pct": r["share_pct"]}
        for r in report["responses"].get("by_week", [])
    ]
    rows += [{"section": "intake", "key": w["week"]} | w for w in report["intake"]["by_week"]]
    return rows


# --- listening ----------------------------------------------------------------------------------

SENTIMENTS = ck.SENTIMENTS


def _sentiments(counters: Counter[ck.CounterKey], of: ck.Category | ck.Rule) -> dict[str, int]:
    return {s: counters[replace(of, sentiment=s)] for s in SENTIMENTS}


def _rule_names() -> dict[str, str]:
    try:
        from chalicelib.listening import watch_rules

        return watch_rules.names()
    except Exception:  # names are a nicety; ids are shown without them
        return {}


def _of_type(total: Counter[ck.CounterKey], kind: type[ck.K]) -> list[tuple[ck.K, int]]:
    """The counters of one key type, in the order of their stored names."""
    found = [(key, n) for key, n in total.items() if isinstance(key, kind)]
    return sorted(found, key=lambda kv: kv[0].encode())


def listening(start: date | None = None, end: date | None = None) -> dict[str, Any]:
    first, last = date_range(start, end)
    stats = store.ReadStats()
    days = store.day_counts(
        "listening", first.isoformat(), last.isoformat(), stats, today=day_of(utcnow())
    )
    total: Counter[ck.CounterKey] = Counter()
    trend = []
    mentions = ck.Mentions()
    for day in sorted(days):
        counters = Counter(_decoded(ck.LISTENING, day, days[day]))
        total.update(counters)
        sentiment: dict[str, int] = {s: counters[ck.Facet("s", s)] for s in SENTIMENTS}
        trend.append(
            {
                "day": day,
                "mentions": counters[mentions],
                **sentiment,
                "net_sentiment": _pct(
                    sentiment["positive"] - sentiment["negative"], counters[mentions]
                ),
            }
        )
    names = _rule_names()
    rules: list[dict[str, Any]] = [
        {
            "rule_id": key.rule_id,
            "name": names.get(key.rule_id, key.rule_id),
            "category": key.category,
            "mentions": n,
            **_sentiments(total, key),
        }
        for key, n in _of_type(total, ck.Rule)
        if key.sentiment is None
    ]
    by_rule = sorted(rules, key=lambda r: (-r["mentions"], r["rule_id"]))
    categories = [key for key, _ in _of_type(total, ck.Category) if key.sentiment is None]
    brand_key = ck.Category("brand")
    brand: dict[str, Any] = {
        "subject": "brand",
        "mentions": total[brand_key],
        **_sentiments(total, brand_key),
    }
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

    def top(family: str) -> list[dict[str, Any]]:
        found = [(n, key.text) for key, n in _of_type(total, ck.Term) if key.family == family]
        return [{"term": t, "mentions": n} for n, t in sorted(found, key=lambda x: (-x[0], x[1]))][
            :TOP_TERMS
        ]

    def facet(family: str) -> dict[str, int]:
        return {key.value: n for key, n in _of_type(total, ck.Facet) if key.family == family}

    questions_by_network = {
        key.network: n for key, n in _of_type(total, ck.Questions) if key.post_id is None
    }
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "mentions": total[mentions],
        "sentiment": {s: total[ck.Facet("s", s)] for s in SENTIMENTS},
        "by_network": facet("net"),
        "by_category": [
            {"category": c.category, "mentions": total[c], **_sentiments(total, c)}
            for c in categories
        ],
        "by_rule": by_rule,
        "sentiment_trend": trend,
        "share_of_voice": voices,
        "top_terms": top("t"),
        "top_hashtags": top("h"),
        "questions": {
            "total": total[ck.Facet("intent", "question")],
            "by_network": questions_by_network,
        },
        "people": [r for r in by_rule if r["category"] in ("influencer", "figure")],
        # Mentions intake sent to triage instead of the inbox, by reason.
        "triage": facet("triage"),
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


_TOTALLED = ("reactions", "comments", "shares", "saves", "link_clicks", "questions", "engagements")


@dataclass
class _Followers:
    """Follower counts per (network, account) by day, and the count that held on a day."""

    by_account: dict[tuple[str, str], dict[str, int]]

    def on(self, network: str, account: str, day: str) -> int | None:
        known = self.by_account.get((network, account)) or {}
        before = [d for d in known if d <= day]
        return known[max(before)] if before else (known[min(known)] if known else None)

    def networks(self) -> set[str]:
        return {network for network, _ in self.by_account}

    def total_on(self, network: str, day: str) -> int | None:
        """The network's followers over all its accounts; None when no account is known."""
        counts = [
            self.on(net, account, day) or 0
            for (net, account), days in self.by_account.items()
            if net == network and days
        ]
        return sum(counts) if counts else None


@dataclass
class _EngagementInputs:
    """Everything the engagement report reads, gathered in a few batched calls."""

    posts: list[Post]
    latest: dict[tuple[str, str], dict[str, Any]]  # (network, platform id) -> engagement item
    clicks: dict[str, int]  # tracked link code -> clicks
    questions: Counter[ck.Questions]  # questions asked under each (network, platform id)
    followers: _Followers


def _read_engagement(first: date, last: date, stats: store.ReadStats) -> _EngagementInputs:
    """Posts published from a week before the period (for week-over-week) to its end, with
    their latest counters, link clicks, questions and the accounts' followers."""
    from zoneinfo import ZoneInfo

    from chalicelib.measure import engagement as eng
    from chalicelib.settings import get_settings
    from chalicelib.store import keys

    zone = ZoneInfo(get_settings().timezone)
    lookback = (first - timedelta(days=7)).isoformat()
    since = datetime.combine(first - timedelta(days=7), datetime.min.time(), tzinfo=zone)
    until = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    posts = eng.published_since(since, until)
    stats.calls += 1
    stats.items += len(posts)
    latest = {
        (i["platform"], i["target_id"]): i
        for i in store.batch_get(
            (keys.engagement(p.network, str(p.platform_id)) for p in posts), stats
        )
    }
    codes = {t["code"] for p in posts for t in p.tracked_links or () if t.get("code")}
    clicks = {
        i["code"]: int(i.get("clicks", 0))
        for i in store.batch_get((keys.link(c) for c in codes), stats)
    }
    days = store.day_counts("listening", lookback, last.isoformat(), stats, today=day_of(utcnow()))
    questions: Counter[ck.Questions] = Counter()
    for day, counters in days.items():
        questions.update(
            {
                key: n
                for key, n in _decoded(ck.LISTENING, day, counters).items()
                if isinstance(key, ck.Questions) and key.post_id is not None
            }
        )
    followers = {
        (account["network"], account["account_id"]): store.followers_between(
            account["network"], account["account_id"], lookback, last.isoformat(), stats
        )
        for account in store.accounts(stats)
    }
    return _EngagementInputs(posts, latest, clicks, questions, _Followers(followers))


def _post_row(post: Post, inputs: _EngagementInputs) -> dict[str, Any]:
    """One published post's counters, engagements and engagement rate (with its basis)."""
    from chalicelib.clock import from_iso
    from chalicelib.measure import engagement as eng

    published_at, platform_id = str(post.published_at), str(post.platform_id)
    day = day_of(from_iso(published_at))
    stored = inputs.latest.get((post.network, platform_id)) or {}
    metrics = eng.normalise(stored.get("metrics") or {})
    link_clicks = sum(inputs.clicks.get(str(t.get("code")), 0) for t in post.tracked_links or ())
    engaged = eng.engagements(metrics, link_clicks)
    followers = inputs.followers.on(post.network, post.account_id, day)
    rate, basis = eng.rate(metrics, engaged, followers)
    return {
        "post_id": post.id,
        "network": post.network,
        "account_id": post.account_id,
        "published_at": published_at,
        "day": day,
        "week": week_of(day),
        "url": post.url,
        **{m: metrics.get(m, 0) for m in (*eng.ENGAGEMENT_METRICS, *eng.REACH_METRICS)},
        "link_clicks": link_clicks,
        "questions": inputs.questions[ck.Questions(post.network, platform_id)],
        "engagements": engaged,
        "engagement_rate": round(rate, 6) if rate is not None else None,
        "rate_basis": basis,
        "_denominator": engaged / rate if rate else None,
    }


def _totals(group: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums of a group of post rows; the rate is pooled (engagements over what they were rated
    against), not an average of rates."""
    out: dict[str, Any] = {"posts": len(group)}
    for metric in _TOTALLED:
        out[metric] = sum(r[metric] for r in group)
    rated = [r for r in group if r["_denominator"]]
    seen = sum(r["_denominator"] for r in rated)
    out["engagement_rate"] = round(sum(r["engagements"] for r in rated) / seen, 6) if seen else None
    return out


def _by_network(
    networks: list[str],
    in_range: list[dict[str, Any]],
    followers: _Followers,
    first: date,
    last: date,
) -> list[dict[str, Any]]:
    out = []
    for network in networks:
        start_count = followers.total_on(network, first.isoformat())
        end_count = followers.total_on(network, last.isoformat())
        known = start_count is not None
        out.append(
            {
                "network": network,
                **_totals([r for r in in_range if r["network"] == network]),
                "followers_start": start_count,
                "followers_end": end_count,
                "follower_growth": (end_count or 0) - (start_count or 0) if known else None,
            }
        )
    return out


def _by_week(networks: list[str], rows: list[dict[str, Any]], first: date) -> list[dict[str, Any]]:
    """Per network and week of the period, with the change of engagements from the week before
    (which is why rows start a week before the period)."""
    weeks = []
    first_week = week_of(first.isoformat())
    for network in networks:
        previous: dict[str, Any] | None = None
        mine = [r for r in rows if r["network"] == network]
        for week in sorted({r["week"] for r in mine}):
            current = _totals([r for r in mine if r["week"] == week])
            change: float | None = None
            if previous is not None and previous["engagements"]:
                delta = current["engagements"] - previous["engagements"]
                change = round(100.0 * delta / previous["engagements"], 1)
            if week >= first_week:
                weeks.append(
                    {"network": network, "week": week, **current, "engagements_change_pct": change}
                )
            previous = current
    return weeks


def engagement(start: date | None = None, end: date | None = None) -> dict[str, Any]:
    first, last = date_range(start, end)
    stats = store.ReadStats()
    inputs = _read_engagement(first, last, stats)
    rows = [_post_row(p, inputs) for p in sorted(inputs.posts, key=lambda p: str(p.published_at))]
    in_range = [r for r in rows if first.isoformat() <= r["day"] <= last.isoformat()]
    networks = sorted({r["network"] for r in rows} | inputs.followers.networks())
    by_network = _by_network(networks, in_range, inputs.followers, first, last)
    weeks = _by_week(networks, rows, first)
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
