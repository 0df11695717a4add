"""Vocabulary of the plain-text cleaner, shared by its features and its rules.

Generic page-furniture vocabulary, drawn from common CMS templates (not from any
one page). Each ``VOCAB`` group becomes one count feature of the model
(:mod:`~storytrace.stages.boilerplate.text.features`) and, for removed lines, picks the
finer label (:mod:`~storytrace.stages.boilerplate.text.rules`).
"""

from __future__ import annotations

import re

#: English function words: the rules' stoplist, and the model's when none is bundled.
STOPWORDS = frozenset(
    "a about after all also an and any are as at be because been but by can could did do "
    "does for from had has have he her his how i if in into is it its just like more most "
    "my no not of on one or other our out over said she so some such than that the their "
    "them then there these they this those through to under up was we were what when which "
    "while who will with would you your".split()
)
#: Furniture vocabulary by class; the order is the order of the feature columns.
VOCAB: dict[str, re.Pattern[str]] = {
    "social": re.compile(
        r"\b(share|shares|shared|tweet|facebook|twitter|whatsapp|pinterest|linkedin|reddit|"
        r"telegram|instagram|youtube|tiktok|flipboard|e-?mail|print|copy link|follow us)\b",
        re.I,
    ),
    "legal": re.compile(
        r"©|\(c\)|\b(copyright|all rights reserved|privacy|terms of (use|service)|cookies?|"
        r"reproduc\w*|permission|trademark|disclaimer)\b",
        re.I,
    ),
    "comments": re.compile(
        r"\b(comments?|reply|replies|leave a|log ?in|sign ?(in|up)|subscribe|newsletter|"
        r"required fields|email address will not|register|password)\b",
        re.I,
    ),
    "related": re.compile(
        r"\b(related|read more|more from|latest|recommended|popular|trending|"
        r"you may also|more stories|more news|see also|top stories|editor'?s picks?)\b",
        re.I,
    ),
    "counter": re.compile(
        r"\b(views?|reads?|min(ute)?s? read|likes?|comments?|shares?)\s*:?\s*\d|"
        r"\d[\d,.]*\s*(views?|reads?|min(ute)?s? read|likes?|comments?|shares?)\b",
        re.I,
    ),
    "caption": re.compile(
        r"\b(photo|image|picture|credit|getty|shutterstock|file photo|illustration|"
        r"courtesy|pictured)\b",
        re.I,
    ),
    "nav": re.compile(
        r"\b(home|menu|search|skip to|sections?|navigation|contact us|about us|advertise|"
        r"careers|subscribe|login|more|next|previous|back to top|loading)\b",
        re.I,
    ),
}
VOCAB_NAMES = tuple(VOCAB)
#: A word, as the cleaner counts them.
WORD = re.compile(r"\w+")
#: Links, e-mail addresses, handles and hashtags.
URLISH = re.compile(r"https?://|www\.|\.(com|org|net|az|uk)\b|@\w|\b\S+@\S+\.\w+|#\w")
#: A line opening with a byline cue ("By", "Written by", "Author:").
BYLINE = re.compile(r"^(by|written by|author:?|posted by|reporting by)\s+\S", re.I)
#: A printed date ("Apr 9", "09 April 2025", "2025-04-09", "9/4/25").
DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b",
    re.I,
)
#: A line ending a sentence (closing quotes and brackets allowed).
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
