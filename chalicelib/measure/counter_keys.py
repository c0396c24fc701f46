"""Report counter names: one codec between the typed keys the hooks count and the attribute
names stored on a day's report item.

A day's counters are attributes of one item (`REPORT#care` or `REPORT#listening`, `DAY#…`),
so a counter's name carries its whole meaning: what is counted and along which dimension. Every
writer builds a key here and every reader decodes names here, so the format lives in one place
and a name nobody understands is noticed instead of silently adding nothing to a report.

The stored names are a contract with the data already written and must not change:

- care: `<metric>|<dimension>|<value>`: `frt|team:social|b12` (a first-response duration
  bucket), `ack|all|met` (an SLA outcome); plus `responses|all`, `responses|network:x` and
  `intake|<event>`;
- listening: `<family>:<...>`: `n`, `s:negative`, `net:x`, `lang:fa`, `intent:question`,
  `cat:brand[:<sentiment>]`, `rule:<category>:<rule id>[:<sentiment>]`, `triage:<reason>`,
  `q:<network>[:<platform post id>]` (a post id may itself hold `:`), `h:<hashtag>`,
  `t:<term>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias, TypeVar, get_args

ReportKind = Literal["care", "listening"]
CARE: ReportKind = "care"
LISTENING: ReportKind = "listening"

Section = Literal["all", "network", "priority", "team", "agent"]
SECTIONS: tuple[Section, ...] = get_args(Section)
DurationMetric = Literal["frt", "res"]
SlaClock = Literal["ack", "resolve"]
SlaState = Literal["met", "at_risk", "breached"]
SLA_STATES: tuple[SlaState, ...] = get_args(SlaState)
IntakeEvent = Literal["opened_from_triage", "opened_by_hand", "dismissed", "labels_corrected"]
INTAKE_EVENTS: tuple[IntakeEvent, ...] = get_args(IntakeEvent)
Sentiment = Literal["positive", "neutral", "negative"]
SENTIMENTS: tuple[Sentiment, ...] = get_args(Sentiment)


T = TypeVar("T")


def _pick(known: Mapping[str, T], value: str) -> T:
    """The typed literal spelled `value`; ValueError for anything else."""
    try:
        return known[value]
    except KeyError:
        raise ValueError(value) from None


_SECTIONS: dict[str, Section] = {s: s for s in SECTIONS}
_SLA_STATES: dict[str, SlaState] = {s: s for s in SLA_STATES}
_INTAKE_EVENTS: dict[str, IntakeEvent] = {e: e for e in INTAKE_EVENTS}
_SENTIMENTS: dict[str, Sentiment] = {s: s for s in SENTIMENTS}
_DURATIONS: dict[str, DurationMetric] = {"frt": "frt", "res": "res"}
_CLOCKS: dict[str, SlaClock] = {"ack": "ack", "resolve": "resolve"}
FacetFamily = Literal["s", "net", "lang", "intent", "triage"]
_FACETS: dict[str, FacetFamily] = {f: f for f in get_args(FacetFamily)}
TermFamily = Literal["t", "h"]
_TERMS: dict[str, TermFamily] = {"t": "t", "h": "h"}


class UnknownCounter(ValueError):
    """A stored counter name no key of its report encodes to."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"unknown {kind} counter {name!r}")
        self.kind = kind
        self.name = name


# --- care ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dimension:
    """What a care measure is grouped by: everything (`all`) or one team, agent, network or
    priority."""

    section: Section
    value: str = ""

    def encode(self) -> str:
        return "all" if self.section == "all" else f"{self.section}:{self.value}"

    @staticmethod
    def decode(text: str) -> Dimension:
        if text == "all":
            return ALL
        name, sep, value = text.partition(":")
        section = _pick(_SECTIONS, name)
        if not sep or section == "all":
            raise ValueError(text)
        return Dimension(section, value)


ALL = Dimension("all")


@dataclass(frozen=True, slots=True)
class Duration:
    """One first response (`frt`) or resolution (`res`) in log-histogram bucket `bucket`."""

    metric: DurationMetric
    dimension: Dimension
    bucket: int

    def encode(self) -> str:
        return f"{self.metric}|{self.dimension.encode()}|b{self.bucket}"


@dataclass(frozen=True, slots=True)
class SlaOutcome:
    """One SLA clock (`ack`, `resolve`) that ended `met`, `at_risk` (met after a warning) or
    `breached`."""

    clock: SlaClock
    dimension: Dimension
    state: SlaState

    def encode(self) -> str:
        return f"{self.clock}|{self.dimension.encode()}|{self.state}"


@dataclass(frozen=True, slots=True)
class Responses:
    """Messages we sent to customers: all of them (`network=None`) or one network's."""

    network: str | None = None

    def encode(self) -> str:
        return "responses|all" if self.network is None else f"responses|network:{self.network}"


@dataclass(frozen=True, slots=True)
class Intake:
    """An agent's triage decision or label correction."""

    event: IntakeEvent

    def encode(self) -> str:
        return f"intake|{self.event}"


CareKey: TypeAlias = Duration | SlaOutcome | Responses | Intake


def _decode_care(name: str) -> CareKey:
    metric, _, rest = name.partition("|")
    if metric == "responses":
        if rest == "all":
            return Responses()
        if rest.startswith("network:"):
            return Responses(rest.removeprefix("network:"))
        raise ValueError(name)
    if metric == "intake":
        return Intake(_pick(_INTAKE_EVENTS, rest))
    dimension_text, sep, value = rest.rpartition("|")
    if not sep:
        raise ValueError(name)
    dimension = Dimension.decode(dimension_text)
    if metric in _DURATIONS:
        if not (value.startswith("b") and value[1:].lstrip("-").isdigit()):
            raise ValueError(name)
        return Duration(_DURATIONS[metric], dimension, int(value[1:]))
    return SlaOutcome(_pick(_CLOCKS, metric), dimension, _pick(_SLA_STATES, value))


# --- listening ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mentions:
    """Every mention heard that day (`n`)."""

    def encode(self) -> str:
        return "n"


@dataclass(frozen=True, slots=True)
class Facet:
    """Mentions by one value of a single-valued field: sentiment (`s`), network (`net`),
    language (`lang`), intent (`intent`) or triage reason (`triage`)."""

    family: FacetFamily
    value: str

    def encode(self) -> str:
        return f"{self.family}:{self.value}"


@dataclass(frozen=True, slots=True)
class Category:
    """Mentions of one category, all of them or those of one sentiment."""

    category: str
    sentiment: Sentiment | None = None

    def encode(self) -> str:
        tail = f":{self.sentiment}" if self.sentiment else ""
        return f"cat:{self.category}{tail}"


@dataclass(frozen=True, slots=True)
class Rule:
    """Mentions a watch rule matched, with the rule's category (so a report tells brand,
    competitor and people rules apart without reading the rules), all or of one sentiment."""

    category: str
    rule_id: str
    sentiment: Sentiment | None = None

    def encode(self) -> str:
        tail = f":{self.sentiment}" if self.sentiment else ""
        return f"rule:{self.category}:{self.rule_id}{tail}"


@dataclass(frozen=True, slots=True)
class Questions:
    """Questions asked on a network, all of them or those under one of our posts."""

    network: str
    post_id: str | None = None

    def encode(self) -> str:
        return f"q:{self.network}" if self.post_id is None else f"q:{self.network}:{self.post_id}"


@dataclass(frozen=True, slots=True)
class Term:
    """A content word (`t`) or a hashtag (`h`): the open-ended counters, the only ones that can
    grow a day's item towards DynamoDB's size limit."""

    family: TermFamily
    text: str

    def encode(self) -> str:
        return f"{self.family}:{self.text}"


ListeningKey: TypeAlias = Mentions | Facet | Category | Rule | Questions | Term
CounterKey: TypeAlias = CareKey | ListeningKey
K = TypeVar("K", bound=CounterKey)


def _decode_listening(name: str) -> ListeningKey:
    if name == "n":
        return Mentions()
    family, sep, rest = name.partition(":")
    if not sep or not rest:
        raise ValueError(name)
    if family in _FACETS:
        return Facet(_FACETS[family], rest)
    if family in _TERMS:
        return Term(_TERMS[family], rest)
    if family == "q":
        network, sep, post_id = rest.partition(":")
        return Questions(network, post_id if sep else None)
    parts = rest.split(":")
    if family == "cat" and len(parts) <= 2:
        return Category(parts[0], _pick(_SENTIMENTS, parts[1]) if len(parts) == 2 else None)
    if family == "rule" and len(parts) in (2, 3):
        sentiment = _pick(_SENTIMENTS, parts[2]) if len(parts) == 3 else None
        return Rule(parts[0], parts[1], sentiment)
    raise ValueError(name)


# --- the codec ----------------------------------------------------------------------------------


def encode(key: CounterKey) -> str:
    return key.encode()


def decode(kind: str, name: str) -> CounterKey:
    """The key a stored name encodes; `UnknownCounter` when no key of `kind` does."""
    try:
        if kind == CARE:
            return _decode_care(name)
        if kind == LISTENING:
            return _decode_listening(name)
    except ValueError:
        pass
    raise UnknownCounter(kind, name)


def encode_all(deltas: Mapping[CounterKey, int]) -> dict[str, int]:
    return {key.encode(): n for key, n in deltas.items() if n}


@dataclass(frozen=True, slots=True)
class Decoded:
    """A day's counters as keys, and the names that decoded to nothing (a reader reports them)."""

    counts: dict[CounterKey, int]
    unknown: tuple[str, ...]


def decode_all(kind: str, counters: Mapping[str, int]) -> Decoded:
    counts: dict[CounterKey, int] = {}
    unknown: list[str] = []
    for name, n in counters.items():
        try:
            key = decode(kind, name)
        except UnknownCounter:
            unknown.append(name)
            continue
        counts[key] = counts.get(key, 0) + n
    return Decoded(counts, tuple(unknown))
