"""Default snippets with placeholders and blanks (issue 13), each in English and Persian.

Seeded with the other defaults (`templates.ensure_seeded`, seed version 2 adds them to a table
seeded before). Each has a category and a shortcut the console's reply box completes.
"""

from __future__ import annotations

SNIPPETS: tuple[dict[str, str], ...] = (
    {
        "id": "tracking-en",
        "kind": "reply",
        "language": "en",
        "category": "shipping",
        "shortcut": "/track",
        "name": "Tracking code",
        "text": "Hi {{customer.name}}, your order {{order_number}} is on its way. Tracking code: "
        "{{blank:tracking_code}} (ref. #{{ticket.number}}).",
    },
    {
        "id": "tracking-fa",
        "kind": "reply",
        "language": "fa",
        "category": "shipping",
        "shortcut": "/track",
        "name": "کد رهگیری",
        "text": "سلام {{customer.name}}، سفارش {{order_number}} ارسال شده است. کد رهگیری: "
        "{{blank:tracking_code}} (شماره پیگیری {{ticket.number}}).",
    },
    {
        "id": "refund-en",
        "kind": "reply",
        "language": "en",
        "category": "billing",
        "shortcut": "/refund",
        "name": "Refund on its way",
        "text": "{{customer.name}}, we have refunded your order {{order_number}}; it reaches your "
        "card within {{blank:refund_days}} working days.",
    },
    {
        "id": "refund-fa",
        "kind": "reply",
        "language": "fa",
        "category": "billing",
        "shortcut": "/refund",
        "name": "بازگشت وجه",
        "text": "{{customer.name}}، مبلغ سفارش {{order_number}} بازگردانده شد و ظرف "
        "{{blank:refund_days}} روز کاری به کارتتان می‌رسد.",
    },
    {
        "id": "handoff-en",
        "kind": "reply",
        "language": "en",
        "category": "handoff",
        "shortcut": "/handoff",
        "name": "Passed to a team",
        "text": "{{customer.name}}, I've passed this to our {{team}} team, who will answer you "
        "here (ref. #{{ticket.number}}).",
    },
    {
        "id": "handoff-fa",
        "kind": "reply",
        "language": "fa",
        "category": "handoff",
        "shortcut": "/handoff",
        "name": "ارجاع به تیم",
        "text": "{{customer.name}}، موضوع را به تیم {{team}} سپردم و همین‌جا پاسخ شما را "
        "می‌دهند (شماره پیگیری {{ticket.number}}).",
    },
    {
        "id": "signoff-en",
        "kind": "reply",
        "language": "en",
        "category": "greeting",
        "shortcut": "/thanks",
        "name": "Thanks for your patience",
        "text": "Thank you for your patience!",
    },
    {
        "id": "signoff-fa",
        "kind": "reply",
        "language": "fa",
        "category": "greeting",
        "shortcut": "/thanks",
        "name": "سپاس از صبوری",
        "text": "از صبوری‌تان سپاسگزاریم!",
    },
)
