"""Normalisation: every spelling of a Persian or English word comes out the same."""

from __future__ import annotations

import pytest

from chalicelib.listening.normalize import fold, normalize, search_text


def keys(text: str) -> tuple[str, ...]:
    return normalize(text).keys


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("شبکه\u200cها", "شبکهها"),  # ZWNJ
        ("شبکه ها", "شبکهها"),  # space
        ("شبکهها", "شبکهها"),  # nothing
        ("می خوام", "میخوام"),  # verb prefix written apart
        ("نمی\u200cخوام", "نمیخوام"),
        ("بی کیفیت", "بیکیفیت"),
        ("خسته ام", "خستهام"),
    ],
)
def test_zwnj_space_and_nothing_between_word_parts_give_one_token(variant, canonical):
    assert normalize(variant).tokens == (canonical,)


def test_the_three_forms_of_the_networks_share_their_keys_and_match_the_singular():
    forms = ["شبکه\u200cها", "شبکه ها", "شبکهها", "شبكه‌ها"]
    assert {keys(form) for form in forms} == {("شبکه",)}


@pytest.mark.parametrize(
    ("arabic", "persian"),
    [
        ("ي", "ی"),  # Arabic yeh
        ("ى", "ی"),  # alef maksura
        ("ك", "ک"),  # Arabic kaf
        ("ة", "ه"),  # teh marbuta
        ("ۀ", "ه"),  # heh with yeh above
        ("هٔ", "ه"),  # heh + hamza above
    ],
)
def test_arabic_letters_become_persian(arabic, persian):
    assert normalize(f"سلا{arabic}").text == f"سلا{persian}"


def test_arabic_and_persian_spellings_of_a_word_are_equal():
    assert normalize("كيفيت خوبي نداشت").tokens == normalize("کیفیت خوبی نداشت").tokens


def test_diacritics_and_tatweel_are_removed():
    assert normalize("سَلامٌ مـــرسی").tokens == ("سلام", "مرسی")


@pytest.mark.parametrize("digits", ["۱۲۳۴۵", "١٢٣٤٥", "12345"])
def test_persian_and_arabic_digits_become_ascii(digits):
    assert normalize(f"سفارش {digits}").tokens == ("سفارش", "12345")


def test_persian_elongation_is_undone():
    assert normalize("خیلیییییی عاااالی").tokens == ("خیلی", "عالی")


def test_persian_double_letters_that_are_spelling_survive():
    assert normalize("ممنون").tokens == ("ممنون",)


def test_repeated_punctuation_is_collapsed_and_counted():
    text = normalize("چرا؟؟؟ wow!!!!")
    assert text.tokens == ("چرا", "?", "wow", "!")
    assert text.question_marks == 3
    assert text.exclamations == 4


def test_emoji_are_extracted_without_skin_tones_or_variation_selectors():
    text = normalize("عالی بود 👍🏽❤️😍")
    assert text.emoji == ("👍", "❤", "😍")
    assert text.tokens == ("عالی", "بود")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("SOOO GOOD", ("so", "good")),
        ("pleaseee", ("please",)),
        ("Thanksss", ("thanks",)),
        ("cooool", ("cool",)),
    ],
)
def test_english_case_and_elongation(text, tokens):
    assert normalize(text).tokens == tokens
    assert normalize(text).elongated


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I can't", ("i", "can", "not")),
        ("it won't", ("it", "will", "not")),
        ("doesn\u2019t work", ("does", "not", "work")),
        ("it's broken", ("it", "is", "broken")),
        ("we're late", ("we", "are", "late")),
        ("I'm sad", ("i", "am", "sad")),
        ("dont", ("do", "not")),
        ("the order's box", ("the", "order", "box")),
    ],
)
def test_english_contractions_are_expanded(text, tokens):
    assert normalize(text).tokens == tokens


def test_handles_hashtags_and_urls_are_extracted():
    text = normalize(
        "@Digiland سفارشم کو؟ #خرابی_شبکه #Fail https://t.me/acme/12?x=1 www.example.com/p"
    )
    assert text.handles == ("digiland",)
    assert text.hashtags == ("خرابی_شبکه", "fail")
    assert text.urls == ("https://t.me/acme/12?x=1", "www.example.com/p")
    # hashtag words still count as words; URLs and handles do not
    assert "fail" in text.words
    assert "خرابی" in text.words
    assert not any("http" in w or "digiland" in w for w in text.words)


def test_an_email_address_is_not_a_handle():
    assert normalize("mail me at a@b.com").handles == ()


@pytest.mark.parametrize(
    "text",
    [
        "salam, sefaresham hanooz naresideh",
        "merci kheili khoob bood",
        "chera javab nemidid?",
    ],
)
def test_finglish_is_detected(text):
    assert normalize(text).is_finglish


@pytest.mark.parametrize(
    "text", ["my order is late", "bad service", "Hi", "Ali is here and the key is lost"]
)
def test_english_is_not_finglish(text):
    assert not normalize(text).is_finglish


def test_finglish_words_offer_their_persian_keys():
    assert fold("سفارش") in normalize("sefaresh hanooz nareside").key_set()


def test_persian_compound_written_apart_offers_the_joined_key():
    assert fold("دیجیلند") in normalize("از دیجی لند خریدم").key_set()


def test_fold_is_spelling_insensitive():
    assert fold("services") == fold("service")
    assert fold("أسعار") == fold("اسعار")
    assert fold("آب") == fold("اب")


def test_search_text_is_space_delimited_keys():
    text = search_text(normalize("شبکه‌های ما"))
    assert text.startswith(" ")
    assert text.endswith(" ")
    assert " شبکه " in text


def test_repeated_digits_are_numbers_not_elongation():
    assert normalize("سفارش ۱۰۰۰ و 999").tokens == ("سفارش", "1000", "و", "999")
    assert fold("1000") == "1000"
