"""Placeholders and blanks (issue 13): order numbers in Persian or Latin digits, blanks named."""

from __future__ import annotations

import pytest

from chalicelib.care import placeholders
from chalicelib.errors import Unprocessable


@pytest.mark.parametrize(
    ("texts", "number"),
    [
        (["سفارش ۱۲۳۴۵۶ من نرسیده"], "123456"),
        (["کد پیگیری سفارش: ٤٥٦٧٨٩"], "456789"),
        (["my order #98765 is late"], "98765"),
        (["Order no. 4455667 never came"], "4455667"),
        (["call me on 09121234567"], None),  # a mobile number, not an order
        (["hello", "order 2024 is wrong"], "2024"),
        (["thanks"], None),
        (["newest: order 11111", "older: order 22222"], "11111"),
    ],
)
def test_the_order_number_is_read_from_what_the_customer_wrote(texts, number):
    assert placeholders.order_number(texts) == number


def test_fill_renders_values_and_blanks_and_names_every_one_left():
    text = "Hi {{customer.name}}, {{ blank:tracking_code }} for {{order_number}}"
    filled = placeholders.fill(
        text, {"customer.name": "Neda", "order_number": "7"}, {"tracking_code": "XY1"}
    )
    assert filled == "Hi Neda, XY1 for 7"
    with pytest.raises(placeholders.BlankMissing) as caught:
        placeholders.fill(text, {"customer.name": "Neda"}, {})
    assert [d["blank"] for d in caught.value.details] == ["tracking_code", "order_number"]
    assert caught.value.details[0]["field"] == "blanks.tracking_code"
    # the agent may give a value we could not find
    assert (
        placeholders.fill("{{order_number}}", {"order_number": None}, {"order_number": "5"}) == "5"
    )


def test_a_blank_value_is_never_read_as_a_placeholder():
    rendered = placeholders.render(
        "Hi {customer_name}: {{blank:code}}",
        {"customer_name": "Sara"},
        {},
        {"code": "{private_link} {{team}}"},
    )
    assert rendered == "Hi Sara: {private_link} {{team}}"


def test_unknown_placeholders_are_refused_when_saved():
    placeholders.check("{{customer.name}} {{blank:a_1}} {{team}} {{link}} {{ticket.number}}")
    for bad in ("{{customer.email}}", "{{blank:Bad-Name}}", "{{}}"):
        with pytest.raises(Unprocessable):
            placeholders.check(bad)
    assert placeholders.blanks_of("{{blank:a}} {{blank:b}} {{blank:a}}") == ["a", "b"]
