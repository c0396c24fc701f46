"""Watch rules: what to listen for, in five categories, and a matcher that stays fast at 1,000s.

A rule has a category (`brand`, `industry`, `competitor`, `influencer`, `figure`), a name and a
query:
- `any`: at least one of these terms; `all`: every one of these; `none`: none of these;
- `phrases`: an exact phrase (consecutive words);
- `handles`: the author is, or the text mentions, one of these accounts;
- `hashtags`: the text carries one of these tags;
- `platforms`, `languages`: optional filters.
The positive clauses (`any`, `phrases`, `handles`, `hashtags`) are alternatives: one is enough;
`all` must hold in addition, `none` vetoes. Terms and phrases are normalised like mention text
(`normalize.fold`), so "شبکه‌ها", "شبکه ها", "شبكه‌ها" and "شبکه" match each other, and a
multi-word term also matches its words written together ("دیجی لند" ≈ "دیجی‌لند").

Influencer and figure rules with handles name *people*: such a rule matches when the person
writes or is mentioned AND the mention is on topic: the rule's own keywords match, or (without a
keyword of its own) the mention matched a brand or industry rule. So an influencer's post about
their breakfast is not a match, their post about the brand is, keyword or not.

Compiled once per rule-set version into inverted indexes (key → rules, handle → rules, tag →
rules): a mention only evaluates the rules that share at least one key with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chalicelib.listening.normalize import Normalized, fold, phrase_keys, unify
from chalicelib.vocabulary import PLATFORM_PATTERN, Category, Language

PERSON_CATEGORIES = frozenset({"influencer", "figure"})
TOPIC_CATEGORIES = frozenset({"brand", "industry"})
MAX_TERMS = 200
_HANDLE = re.compile(r"^@?[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?$")
_PLATFORM = re.compile(PLATFORM_PATTERN)

Term = str


class RuleQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    any: list[Term] = Field(default_factory=list, max_length=MAX_TERMS)
    all: list[Term] = Field(default_factory=list, max_length=MAX_TERMS)
    none: list[Term] = Field(default_factory=list, max_length=MAX_TERMS)
    phrases: list[Term] = Field(default_factory=list, max_length=MAX_TERMS)
    handles: list[str] = Field(default_factory=list, max_length=MAX_TERMS)
    hashtags: list[str] = Field(default_factory=list, max_length=MAX_TERMS)
    platforms: list[str] = Field(default_factory=list, max_length=32)
    languages: list[Language] = Field(default_factory=list, max_length=5)

    @field_validator("any", "all", "none", "phrases")
    @classmethod
    def _terms(cls, terms: list[str]) -> list[str]:
        cleaned = []
        for term in terms:
            term = term.strip()
            if not 1 <= len(term) <= 200:
                raise ValueError("each term must be 1 to 200 characters")
            if not phrase_keys(term):
                raise ValueError(f"term {term!r} has no letters or digits to match")
            cleaned.append(term)
        return list(dict.fromkeys(cleaned))

    @field_validator("handles")
    @classmethod
    def _handles(cls, handles: list[str]) -> list[str]:
        for handle in handles:
            if not _HANDLE.match(handle.strip()):
                raise ValueError(f"handle {handle!r} is not an account name like @acme_store")
        return list(dict.fromkeys(h.strip().lstrip("@").lower() for h in handles))

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, tags: list[str]) -> list[str]:
        cleaned = []
        for tag in tags:
            tag = tag.strip().lstrip("#")
            if not tag or not re.fullmatch(r"[\w\u200c]{1,100}", tag):
                raise ValueError(f"hashtag {tag!r} must be letters, digits or underscores")
            cleaned.append(tag)
        return list(dict.fromkeys(cleaned))

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, platforms: list[str]) -> list[str]:
        for platform in platforms:
            if not _PLATFORM.match(platform):
                raise ValueError(f"platform {platform!r} is not a platform name like telegram")
        return list(dict.fromkeys(platforms))

    @model_validator(mode="after")
    def _has_positive_clause(self) -> RuleQuery:
        if not (self.any or self.all or self.phrases or self.handles or self.hashtags):
            raise ValueError("a query needs at least one of any, all, phrases, handles or hashtags")
        return self


class RuleInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    category: Category
    query: RuleQuery
    enabled: bool = True
    # Optimistic locking on PUT: the version the client read; a newer stored one is a 409.
    version: int | None = Field(default=None, ge=1)


class RulePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    category: Category | None = None
    query: RuleQuery | None = None
    enabled: bool | None = None
    version: int | None = Field(default=None, ge=1)


class WatchRule(BaseModel):
    """A stored rule as the matcher reads it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    category: Category
    query: RuleQuery
    enabled: bool = True
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RuleMatch:
    rule_id: str
    name: str
    category: str
    # How it matched: "keywords", "handle", "handle+topic" (a person on the brand/industry).
    via: str


def _hashtag_key(tag: str) -> str:
    return fold(unify(tag).replace("\u200c", "").casefold())


@dataclass
class _Compiled:
    rule: WatchRule
    any: list[tuple[str, ...]]
    all: list[tuple[str, ...]]
    none: list[tuple[str, ...]]
    phrases: list[tuple[str, ...]]
    handles: frozenset[str]
    hashtags: frozenset[str]
    platforms: frozenset[str]
    languages: frozenset[str]

    @property
    def is_person(self) -> bool:
        return self.rule.category in PERSON_CATEGORIES and bool(self.handles)

    @property
    def has_keywords(self) -> bool:
        return bool(self.any or self.phrases or self.hashtags or self.all)


def _anchor(keys: tuple[str, ...]) -> list[str]:
    """Index keys that any text matching this term must contain."""
    anchors = [keys[0]]
    if len(keys) > 1:
        anchors.append(fold("".join(keys)))
    return anchors


class Matcher:
    def __init__(self, rules: Iterable[WatchRule]) -> None:
        self.rules: list[_Compiled] = []
        self._by_key: dict[str, set[int]] = {}
        self._by_handle: dict[str, set[int]] = {}
        self._by_tag: dict[str, set[int]] = {}
        self._persons: list[int] = []
        for rule in rules:
            if rule.enabled:
                self._add(rule)

    def __len__(self) -> int:
        return len(self.rules)

    def _add(self, rule: WatchRule) -> None:
        q = rule.query
        compiled = _Compiled(
            rule=rule,
            any=[phrase_keys(t) for t in q.any],
            all=[phrase_keys(t) for t in q.all],
            none=[phrase_keys(t) for t in q.none],
            phrases=[phrase_keys(t) for t in q.phrases],
            handles=frozenset(q.handles),
            hashtags=frozenset(_hashtag_key(t) for t in q.hashtags),
            platforms=frozenset(q.platforms),
            languages=frozenset(q.languages),
        )
        n = len(self.rules)
        self.rules.append(compiled)
        if compiled.is_person:
            self._persons.append(n)
        for keys in compiled.any + compiled.phrases + compiled.all[:1]:
            for anchor in _anchor(keys):
                self._by_key.setdefault(anchor, set()).add(n)
        for handle in compiled.handles:
            self._by_handle.setdefault(handle, set()).add(n)
        for tag in compiled.hashtags:
            self._by_tag.setdefault(tag, set()).add(n)

    def match(
        self,
        text: Normalized,
        *,
        platform: str | None = None,
        language: str | None = None,
        author_handle: str | None = None,
    ) -> list[RuleMatch]:
        keys = text.keys
        key_set = set(text.key_set())
        handles = set(text.handles)
        if author_handle:
            handles.add(author_handle.lstrip("@").lower())
        tags = {_hashtag_key(t) for t in text.hashtags}

        candidates: set[int] = set()
        for key in key_set:
            candidates |= self._by_key.get(key, set())
        for handle in handles:
            candidates |= self._by_handle.get(handle, set())
        for tag in tags:
            candidates |= self._by_tag.get(tag, set())

        context = _Context(keys, key_set, handles, tags, platform, language)
        matches: list[RuleMatch] = []
        persons: list[_Compiled] = []
        for n in sorted(candidates):
            rule = self.rules[n]
            if rule.is_person:
                persons.append(rule)
                continue
            if context.keywords_match(rule):
                matches.append(_found(rule, "keywords"))
        on_topic = any(m.category in TOPIC_CATEGORIES for m in matches)
        for rule in persons:
            if not context.allowed(rule) or not (rule.handles & handles):
                continue
            if rule.has_keywords and context.keywords_match(rule, require_handles=False):
                matches.append(_found(rule, "handle+keywords"))
            elif on_topic:
                matches.append(_found(rule, "handle+topic"))
        return matches


def _found(rule: _Compiled, via: str) -> RuleMatch:
    return RuleMatch(rule.rule.id, rule.rule.name, rule.rule.category, via)


@dataclass
class _Context:
    keys: tuple[str, ...]
    key_set: set[str]
    handles: set[str]
    tags: set[str]
    platform: str | None
    language: str | None

    def has(self, term: tuple[str, ...]) -> bool:
        if len(term) == 1:
            return term[0] in self.key_set
        if fold("".join(term)) in self.key_set:
            return True
        n, keys = len(term), self.keys
        return any(keys[i : i + n] == term for i in range(len(keys) - n + 1))

    def allowed(self, rule: _Compiled) -> bool:
        if rule.platforms and self.platform not in rule.platforms:
            return False
        if rule.languages and self.language not in rule.languages:
            return False
        return not any(self.has(term) for term in rule.none)

    def keywords_match(self, rule: _Compiled, *, require_handles: bool = True) -> bool:
        if not self.allowed(rule):
            return False
        if not all(self.has(term) for term in rule.all):
            return False
        alternatives = (
            rule.any or rule.phrases or rule.hashtags or (rule.handles and require_handles)
        )
        if not alternatives:
            return bool(rule.all)
        return (
            any(self.has(term) for term in rule.any)
            or any(self.has(term) for term in rule.phrases)
            or bool(rule.hashtags & self.tags)
            or (require_handles and bool(rule.handles & self.handles))
        )


def describe(query: RuleQuery) -> str:
    """A one-line summary for logs and alert texts."""
    parts = [f"{name}={values}" for name, values in query.model_dump().items() if values]
    return "; ".join(parts)
