"""The closed word lists the whole product shares: one declaration each, read by the models,
the store, the routes and the OpenAPI document, so a new network or category is one edit.

Each list is a `Literal` (what pydantic validates and the document shows) and the same values as
a tuple (what code iterates). Only `typing` is imported: this module sits at the bottom of the
layers and costs nothing at cold start.
"""

from __future__ import annotations

from typing import Literal, get_args

Category = Literal["brand", "industry", "competitor", "influencer", "figure"]
CATEGORIES: tuple[Category, ...] = get_args(Category)

Network = Literal["telegram", "x", "instagram", "facebook", "linkedin"]
NETWORKS: tuple[Network, ...] = get_args(Network)

Language = Literal["fa", "en", "ar", "fa-Latn", "other"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

Sentiment = Literal["negative", "neutral", "positive"]
SENTIMENTS: tuple[Sentiment, ...] = get_args(Sentiment)

Intent = Literal["complaint", "question", "praise", "other"]
INTENTS: tuple[Intent, ...] = get_args(Intent)

Role = Literal["agent", "manager", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)  # weakest first: the rank is the position

MentionKind = Literal["comment", "reply", "mention", "dm", "post"]

# Where intake sends a mention (listening/decide.py), and why triage holds one.
Intake = Literal["ticket", "triage", "none"]
TriageReason = Literal["spam", "automated", "no_reply_needed", "low_confidence"]
TRIAGE_REASONS: tuple[TriageReason, ...] = get_args(TriageReason)

# A platform's name as it appears in webhook paths, mention ids and stored keys.
PLATFORM_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"

# The shapes of the ids in paths and bodies. Routes declare them (an ill-formed id is a 404
# naming the parameter) and models validate with them, so both agree by construction.
AGENT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"
TEAM_PATTERN = PLATFORM_PATTERN  # the same shape: a lowercase slug
TEMPLATE_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
TICKET_ID_PATTERN = r"^T[0-9]{1,12}$"
MENTION_ID_PATTERN = PLATFORM_PATTERN.removesuffix("$") + r":.{1,256}$"
TOKEN_ID_PATTERN = r"^[0-9a-f]{12}$"
RULE_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
POST_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
LINK_CODE_PATTERN = r"^[A-Za-z0-9_-]{3,32}$"
