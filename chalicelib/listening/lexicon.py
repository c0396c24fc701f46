"""Word lists of the rule-based classifier, per language, in their natural spelling.

Entries are normalised and folded when first used (`compiled(language)`), exactly like mention
text, so an entry written with Persian or Arabic letters, a ZWNJ or a space matches every
spelling. A multi-word entry is a phrase. Weights are rough strengths (1 ≈ a plain "good").

Finglish (fa-Latn) is classified with the Persian lists after `normalize.FINGLISH` spells its
common words in Persian script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

EN_POSITIVE = {
    "good": 1.0,
    "great": 1.5,
    "excellent": 2.0,
    "amazing": 2.0,
    "awesome": 2.0,
    "love": 2.0,
    "loved": 2.0,
    "perfect": 2.0,
    "perfectly": 1.5,
    "best": 1.5,
    "fast": 0.8,
    "quick": 0.6,
    "happy": 1.2,
    "satisfied": 1.5,
    "recommend": 1.2,
    "helpful": 1.2,
    "nice": 1.0,
    "thank": 1.5,
    "thanks": 1.5,
    "solid": 1.0,
    "top notch": 2.0,
    "superb": 2.0,
    "fantastic": 2.0,
    "wonderful": 2.0,
    "glad": 1.2,
    "pleased": 1.2,
    "beautiful": 1.5,
    "brilliant": 1.8,
    "impressed": 1.5,
    "solved": 0.8,
    "worth": 1.0,
    "favorite": 1.5,
    "favourite": 1.5,
    "smooth": 0.8,
    "exceeded": 1.5,
    "quick question": 0.0,
    "10 10": 2.0,
    "sale": 0.8,
    "well done": 1.5,
    "kudos": 1.5,
    "shoutout": 1.2,
    "appreciate": 1.2,
    "appreciated": 1.2,
    "gorgeous": 1.8,
    "lovely": 1.5,
    "grateful": 1.5,
    "delicious": 1.8,
}
EN_NEGATIVE = {
    "bad": 1.5,
    "terrible": 2.0,
    "awful": 2.0,
    "worst": 2.0,
    "horrible": 2.0,
    "poor": 1.5,
    "disappointed": 1.8,
    "disappointing": 1.8,
    "disappoint": 1.5,
    "useless": 2.0,
    "broken": 1.5,
    "broke": 1.5,
    "damaged": 1.5,
    "crash": 1.5,
    "crashing": 1.5,
    "late": 1.0,
    "lost": 1.2,
    "wrong": 1.2,
    "scam": 2.0,
    "fake": 1.5,
    "waste": 1.8,
    "ridiculous": 1.8,
    "unacceptable": 2.0,
    "frustrating": 1.8,
    "annoying": 1.5,
    "slow": 1.2,
    "rude": 1.8,
    "expensive": 0.8,
    "joke": 1.2,
    "ignoring": 1.5,
    "problem": 0.8,
    "issue": 0.6,
    "complain": 1.2,
    "buggy": 1.5,
    "error": 1.0,
    "unhappy": 1.5,
    "angry": 1.5,
    "hate": 2.0,
    "sucks": 2.0,
    "0 10": 2.0,
}
EN_NEGATORS = frozenset(
    {"not", "no", "never", "hardly", "without", "nothing", "nobody", "none", "neither", "nor"}
)
EN_INTENSIFIERS = {
    "very": 1.5,
    "so": 1.4,
    "really": 1.4,
    "extremely": 1.8,
    "super": 1.5,
    "totally": 1.5,
    "absolutely": 1.6,
    "too": 1.3,
    "highly": 1.5,
    "such": 1.3,
    "pretty": 1.1,
    "quite": 1.1,
}
EN_COMPLAINT = {
    "refund": 1.0,
    "not working": 1.5,
    "does not work": 1.5,
    "do not work": 1.5,
    "still not": 1.2,
    "still waiting": 1.5,
    "has not arrived": 1.5,
    "have not arrived": 1.5,
    "not arrived": 1.5,
    "never arrived": 1.5,
    "not received": 1.5,
    "charged twice": 1.5,
    "wrong size": 1.2,
    "can not log in": 1.5,
    "can not login": 1.5,
    "will not let me": 1.5,
    "keeps crashing": 1.5,
    "where is my order": 1.5,
    "not fixed": 1.5,
    "taking so long": 1.5,
    "so long": 0.8,
    "takes forever": 1.5,
    "forever": 0.6,
    "waste of money": 1.5,
    "nobody answers": 1.5,
    "no one answers": 1.5,
    "nobody is helping": 1.5,
    "no answer": 1.5,
    "no response": 1.5,
    "never again": 1.5,
    "never ordering": 1.5,
    "never order": 1.5,
    "never answer": 1.5,
    "not replied": 1.2,
    "anyone replied": 1.0,
    "support": 0.3,
    "still": 0.5,
    "why": 0.5,
    "complaint": 1.5,
    "cancel my": 0.6,
    "nothing": 0.4,
    "not satisfied": 0.5,
    "expected better": 1.2,
    "missing": 1.2,
    "cancelled": 1.0,
    "canceled": 1.0,
    "double charged": 1.5,
    "overcharged": 1.5,
    "never got": 1.5,
    "did not get": 1.5,
    "still no": 1.2,
    "no reply": 1.5,
    "been waiting": 1.5,
    "waiting for": 0.8,
    "days ago": 0.6,
    "nothing happens": 1.5,
    "does nothing": 1.5,
    "not loading": 1.5,
    "stuck": 1.2,
    "instead of": 0.8,
    "declined": 1.0,
    "failed": 1.0,
    "keeps": 0.6,
    "unable to": 1.2,
    "delayed": 1.2,
    "not showing": 1.2,
    "wrong item": 1.5,
    "came with": 0.4,
    "arrived cold": 1.5,
    "not responding": 1.5,
}
EN_PRAISE = {
    "thank": 1.0,
    "thanks": 1.0,
    "thank you": 1.0,
    "love": 0.8,
    "recommend": 0.6,
    "great job": 1.0,
    "well done": 1.0,
    "kudos": 1.0,
    "shoutout": 1.0,
    "appreciate": 1.0,
    "appreciated": 1.0,
    "keep it up": 1.0,
    "thank you so much": 1.0,
    "grateful": 1.0,
}
EN_QUESTION_OPENERS = frozenset(
    [
        "is",
        "are",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "have",
        "has",
        "any",
        "how",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "whats",
    ]
)
EN_QUESTION = {
    "how": 0.6,
    "what": 0.5,
    "when": 0.5,
    "where": 0.6,
    "which": 0.6,
    "i want to know": 1.5,
    "i would like to know": 1.5,
    "want to know": 1.2,
    "i was wondering": 1.5,
    "wondering": 1.0,
    "could you tell": 1.5,
    "can you tell": 1.5,
    "let me know": 1.2,
    "please tell": 1.2,
    "question": 1.0,
    "any update": 1.2,
    "is there": 1.0,
    "do you": 1.0,
    "is it possible": 1.5,
    "looking for": 1.0,
    "can i": 1.0,
    "could i": 1.0,
    "how do i": 1.5,
    "how can i": 1.5,
    "how much": 1.2,
    "how long": 1.0,
    "do you have": 1.5,
    "do you ship": 1.5,
    "any way": 1.0,
    "need to know": 1.2,
    "need help": 1.0,
    "what time": 1.0,
    "is there any": 1.0,
    "would like to know": 1.5,
    "i'd like to know": 1.5,
    "tell me": 1.0,
    "recommend": 0.4,
}

FA_POSITIVE = {
    "خوب": 1.0,
    "خوبه": 1.0,
    "عالی": 2.0,
    "عالیه": 2.0,
    "ممنون": 1.5,
    "ممنونم": 1.5,
    "مرسی": 1.5,
    "متشکرم": 1.5,
    "متشکریم": 1.5,
    "سپاس": 1.5,
    "تشکر": 1.5,
    "دمتون گرم": 2.0,
    "دمت گرم": 2.0,
    "دستتون درد نکنه": 2.0,
    "دستت درد نکنه": 2.0,
    "راضی": 1.5,
    "راضیم": 1.5,
    "راضیام": 1.5,
    "فوقالعاده": 2.0,
    "فوق العاده": 2.0,
    "بهترین": 1.5,
    "بهترینه": 1.5,
    "بهتر": 0.6,
    "بهتره": 0.8,
    "قشنگ": 1.2,
    "قشنگه": 1.2,
    "شیک": 1.2,
    "شیکه": 1.2,
    "زیبا": 1.2,
    "عشق": 1.5,
    "عاشق": 1.5,
    "بینظیر": 2.0,
    "آفرین": 1.5,
    "پیشنهاد میکنم": 1.2,
    "سریع": 0.8,
    "سالم": 0.6,
    "حل شد": 1.2,
    "درست شد": 1.2,
    "ارزش خرید": 1.2,
    "خوشم اومد": 1.5,
    "لذت": 1.2,
    "مخلصیم": 1.2,
    "انصاف": 0.8,
    "حراج": 0.8,
    "خوش اومدید": 1.0,
    "خوش آمدید": 1.0,
    "ارزش": 0.6,
    "محشر": 2.0,
    "محشره": 2.0,
    "بینقص": 2.0,
    "ممنونیم": 1.5,
    "ایول": 1.5,
    "خوشمزه": 1.8,
}
FA_NEGATIVE = {
    "بد": 1.5,
    "بده": 1.5,
    "افتضاح": 2.0,
    "افتضاحه": 2.0,
    "بدترین": 2.0,
    "خراب": 1.5,
    "خرابه": 1.5,
    "شکسته": 1.5,
    "معیوب": 1.5,
    "تقلبی": 1.8,
    "کلاهبرداری": 2.0,
    "کلاهبرداریه": 2.0,
    "کلاهبردار": 2.0,
    "کلاهبردارن": 2.0,
    "ضعیف": 1.5,
    "ضعیفه": 1.5,
    "پایین": 0.6,
    "پایینه": 0.6,
    "دیر": 1.0,
    "کنده": 1.0,
    "ناراضی": 1.8,
    "ناراضیم": 1.8,
    "پشیمون": 1.5,
    "پشیمونم": 1.5,
    "گرون": 1.0,
    "گرونه": 1.0,
    "گرونتر": 1.0,
    "زشت": 1.5,
    "زشته": 1.5,
    "مسخره": 1.5,
    "مسخرست": 1.5,
    "مسخرهست": 1.5,
    "بیادب": 1.5,
    "ناامید": 1.5,
    "اعصاب خورد کن": 1.5,
    "ارور": 1.0,
    "قطع": 0.8,
    "قطعه": 0.6,
    "بیکیفیت": 1.8,
    "آشغال": 2.0,
    "مزخرف": 2.0,
    "داغون": 1.5,
    "مشکل": 0.8,
    "مشکلم": 0.8,
    "حالم": 0.0,
    "افتضاحن": 2.0,
}
FA_NEGATORS_AFTER = frozenset(
    {
        "نیست",
        "نیستم",
        "نیستش",
        "نبود",
        "نبودم",
        "نبودن",
        "نشد",
        "نشده",
        "نمیکنم",
        "نداره",
        "ندارم",
        "نداشت",
        "نیستیم",
        "نیستن",
    }
)
FA_NEGATORS_BEFORE = frozenset({"نه", "هیچ", "بدون", "غیر"})
FA_INTENSIFIERS = {
    "خیلی": 1.5,
    "واقعا": 1.4,
    "بسیار": 1.5,
    "کاملا": 1.4,
    "اصلا": 1.3,
    "انقدر": 1.3,
    "اینقدر": 1.3,
    "فوق": 1.2,
    "همش": 1.2,
    "هیچوقت": 1.4,
}
FA_COMPLAINT = {
    "هنوز": 0.6,
    "نرسیده": 1.2,
    "نرسید": 1.2,
    "جواب نمیده": 1.5,
    "جواب نمیدید": 1.5,
    "جواب نمیدین": 1.5,
    "جواب نمیدن": 1.5,
    "جواب نداد": 1.5,
    "جواب ندادید": 1.5,
    "پاسخگو نیست": 1.5,
    "پاسخ نمیدید": 1.5,
    "کار نمیکنه": 1.5,
    "کار نمیکند": 1.5,
    "اعمال نمیشه": 1.2,
    "ثبت نشده": 1.2,
    "ثبت نشد": 1.2,
    "ارسال نشده": 1.2,
    "حل نشده": 1.2,
    "برگشت نخورده": 1.2,
    "پس بدید": 1.2,
    "پس بدین": 1.2,
    "پس نمیدن": 1.2,
    "پولمو": 0.8,
    "مرجوع": 0.4,
    "مرجوعش": 0.6,
    "منتظرم": 1.0,
    "منتظر": 0.8,
    "کم کردید": 0.8,
    "کم کردین": 0.8,
    "دوبار": 0.4,
    "مثل قبل نیست": 1.2,
    "خرید نکنید": 1.5,
    "خرید نمیکنم": 1.5,
    "پشت خط": 0.8,
    "چه وضع": 1.5,
    "چه وضعشه": 1.5,
    "واقعا که": 1.2,
    "رو کاغذه": 1.0,
    "فرق داشت": 1.0,
    "شبیه عکس نیست": 1.2,
    "چرا": 0.5,
    "پیگیری": 0.2,
    "شکایت": 1.5,
    "کلاهبرداری": 1.0,
    "تقلبی": 0.8,
    "گذشته": 0.5,
    "ارور میده": 1.0,
    "نمیشه": 0.4,
    "نمیده": 0.8,
    "هیچکس": 0.8,
    "گفتید": 0.6,
    "همش قطع": 1.2,
    "همش قطعه": 1.2,
    "نیومده": 1.2,
    "نیامده": 1.2,
    "کنسل": 1.0,
    "کم بود": 1.2,
    "کمه": 0.8,
    "اشتباه": 1.0,
    "کسر شده": 1.2,
    "کم شده": 1.0,
    "برنگشته": 1.2,
    "منقضی": 1.0,
    "خطا": 1.0,
    "وصل نمیشه": 1.5,
    "باز نمیشه": 1.5,
    "نمیاد": 0.8,
    "له": 0.8,
    "آسیب": 1.2,
    "آسیب دیده": 1.5,
    "پاره": 1.0,
    "معطل": 1.2,
    "معطلی": 1.2,
    "تاخیر": 1.2,
    "سرد بود": 1.2,
    "نداده": 0.8,
    "ندادن": 0.8,
    "هیچ خبری": 1.2,
    "خبری نیست": 1.2,
    "دو بار": 0.6,
    "قطعی": 1.0,
}
FA_PRAISE = {
    "ممنون": 1.0,
    "ممنونم": 1.0,
    "مرسی": 1.0,
    "سپاس": 1.0,
    "تشکر": 1.0,
    "متشکرم": 1.0,
    "دمتون گرم": 1.0,
    "دستتون درد نکنه": 1.0,
    "آفرین": 1.0,
    "پیشنهاد میکنم": 0.6,
    "ممنونیم": 1.0,
    "ایول": 1.0,
    "محشره": 0.6,
    "محشر": 0.6,
}
FA_QUESTION = {
    "آیا": 1.5,
    "چطور": 1.2,
    "چطوری": 1.2,
    "چگونه": 1.2,
    "کی": 1.0,
    "کجا": 1.2,
    "کجاست": 1.2,
    "چرا": 1.0,
    "چند": 1.0,
    "چنده": 1.2,
    "چقدر": 1.2,
    "چقدره": 1.2,
    "چی": 0.8,
    "چیه": 1.2,
    "چیکار": 1.0,
    "کدوم": 1.2,
    "کدام": 1.2,
    "مگه": 1.2,
    "میشه": 1.0,
    "میتونم": 1.2,
    "یا نه": 1.2,
    "میخواستم بدونم": 1.5,
    "میخواستم بپرسم": 1.5,
    "سوال": 1.0,
    "راهنمایی کنید": 1.2,
    "کسی میدونه": 1.5,
    "کسی": 0.4,
    "وضعیتیه": 1.0,
    "میخواستم": 0.8,
    "لطفا بگید": 1.2,
    "امکانش هست": 1.5,
    "امکان": 0.6,
    "هزینه": 0.5,
    "چجوری": 1.2,
    "چطوریه": 1.2,
    "نحوه": 1.0,
    "میشه بگید": 1.5,
    "ممکنه": 0.8,
    "بدونم": 1.0,
    "دارید": 0.8,
    "دارین": 0.8,
}
# Typical last words of a Persian yes/no question written without a question mark.
FA_QUESTION_ENDINGS = frozenset(
    {"دارید", "دارین", "هست", "هستش", "میفروشید", "میدید", "میکنید", "میشه", "فعاله"}
)

AR_POSITIVE = {"شكرا": 1.5, "ممتاز": 2.0, "ممتازة": 2.0, "رائع": 2.0, "رائعة": 2.0, "جميل": 1.5}
AR_NEGATIVE = {"سيء": 1.5, "سيئة": 1.5, "سيئ": 1.5, "فاشل": 2.0, "مشكلة": 0.8}
AR_NEGATORS = frozenset({"لا", "لم", "لن", "ليس", "غير"})
AR_INTENSIFIERS = {"جدا": 1.5, "جداً": 1.5, "كثيرا": 1.3}
AR_COMPLAINT = {"لم يصل": 1.5, "لا يعمل": 1.5, "ولا يعمل": 1.5, "حتى الآن": 0.6}
AR_PRAISE = {"شكرا": 1.0, "شكرا لكم": 1.0}
AR_QUESTION = {"هل": 1.5, "متى": 1.5, "كيف": 1.2, "كم سعر": 1.5, "لماذا": 1.0, "ماذا": 1.2}

EMOJI_SENTIMENT = {
    "😡": -2.0,
    "😤": -2.0,
    "😠": -2.0,
    "🤬": -2.5,
    "👎": -2.0,
    "😞": -1.5,
    "😢": -1.2,
    "😭": -1.2,
    "💔": -1.5,
    "😒": -1.2,
    "🙄": -0.4,
    "❤": 2.0,
    "😍": 2.0,
    "🥰": 2.0,
    "😘": 1.5,
    "👏": 1.5,
    "👍": 1.2,
    "🙏": 1.0,
    "🌹": 1.0,
    "🔥": 1.5,
    "💯": 1.5,
    "👌": 1.5,
    "😊": 1.2,
    "🙂": 0.6,
    "💪": 1.0,
    "🎉": 1.0,
    "✅": 0.6,
    "⭐": 1.0,
    "🌟": 1.2,
    "☀": 0.5,
}
EMOJI_COMPLAINT = {"😡": 1.2, "😤": 1.2, "😠": 1.2, "🤬": 1.5, "👎": 1.2}
EMOJI_PRAISE = dict.fromkeys(
    ("❤", "😍", "🥰", "👏", "🙏", "🌹", "🔥", "💯", "👌", "👍", "🌟", "⭐"), 1.0
)


@dataclass
class Lexicon:
    """Folded single-word weights plus phrases indexed by their first key."""

    words: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = field(default_factory=dict)

    def add(self, entry: str, weight: float) -> None:
        from chalicelib.listening.normalize import phrase_keys

        keys = phrase_keys(entry)
        if not keys:
            return
        if len(keys) == 1:
            self.words[keys[0]] = weight
        else:
            self.phrases.setdefault(keys[0], []).append((keys, weight))

    def hits(self, keys: tuple[str, ...]) -> list[tuple[int, int, float]]:
        """(start, length, weight) of every entry found; a phrase hides the words it covers."""
        found: list[tuple[int, int, float]] = []
        covered: set[int] = set()
        for i, key in enumerate(keys):
            for phrase, weight in self.phrases.get(key, ()):
                if keys[i : i + len(phrase)] == phrase:
                    found.append((i, len(phrase), weight))
                    covered.update(range(i, i + len(phrase)))
        for i, key in enumerate(keys):
            if i not in covered and key in self.words:
                found.append((i, 1, self.words[key]))
        return found


@dataclass
class LanguageLexicon:
    positive: Lexicon
    negative: Lexicon
    complaint: Lexicon
    praise: Lexicon
    question: Lexicon
    negators_before: frozenset[str]
    negators_after: frozenset[str]
    intensifiers: dict[str, float]
    question_openers: frozenset[str] = frozenset()
    question_endings: frozenset[str] = frozenset()


def _lex(entries: dict[str, float]) -> Lexicon:
    lexicon = Lexicon()
    for entry, weight in entries.items():
        lexicon.add(entry, weight)
    return lexicon


def _keys(words: frozenset[str] | dict[str, float]) -> frozenset[str]:
    from chalicelib.listening.normalize import fold, normalize

    return frozenset(fold(normalize(w).words[0]) for w in words if normalize(w).words)


@lru_cache(maxsize=8)
def compiled(family: str) -> LanguageLexicon:
    """`family` is "en", "fa" (also used for fa-Latn) or "ar"."""
    if family == "fa":
        return LanguageLexicon(
            positive=_lex(FA_POSITIVE),
            negative=_lex(FA_NEGATIVE),
            complaint=_lex(FA_COMPLAINT),
            praise=_lex(FA_PRAISE),
            question=_lex(FA_QUESTION),
            negators_before=_keys(FA_NEGATORS_BEFORE),
            negators_after=_keys(FA_NEGATORS_AFTER),
            intensifiers=_weights(FA_INTENSIFIERS),
            question_endings=_keys(FA_QUESTION_ENDINGS),
        )
    if family == "ar":
        return LanguageLexicon(
            positive=_lex(AR_POSITIVE),
            negative=_lex(AR_NEGATIVE),
            complaint=_lex(AR_COMPLAINT),
            praise=_lex(AR_PRAISE),
            question=_lex(AR_QUESTION),
            negators_before=_keys(AR_NEGATORS),
            negators_after=frozenset(),
            intensifiers=_weights(AR_INTENSIFIERS),
        )
    return LanguageLexicon(
        positive=_lex(EN_POSITIVE),
        negative=_lex(EN_NEGATIVE),
        complaint=_lex(EN_COMPLAINT),
        praise=_lex(EN_PRAISE),
        question=_lex(EN_QUESTION),
        negators_before=_keys(EN_NEGATORS),
        negators_after=frozenset(),
        intensifiers=_weights(EN_INTENSIFIERS),
        question_openers=_keys(EN_QUESTION_OPENERS),
    )


def _weights(words: dict[str, float]) -> dict[str, float]:
    from chalicelib.listening.normalize import fold, normalize

    return {fold(normalize(w).words[0]): v for w, v in words.items()}
