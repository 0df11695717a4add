"""Smoothing and rules of the plain-text cleaner (``textclean.rule.*``).

The layers after the model (see :mod:`~storytrace.stages.boilerplate.text.clean`): hysteresis
and island removal around the model's body lines, rules that override the model
(copyright, doubled captions, source URLs, author bios, the comments/related
footer cut), and rules that only name the kind of a removed line (headline,
byline, dateline, vocabulary classes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storytrace.records import SegmentLabel
from storytrace.stages.boilerplate.text.features import FloatArray, Line
from storytrace.stages.boilerplate.text.model import MODEL_METHOD
from storytrace.stages.boilerplate.text.vocab import (
    BYLINE,
    DATE,
    SENTENCE_END,
    STOPWORDS,
    URLISH,
    VOCAB,
    VOCAB_NAMES,
    WORD,
)

if TYPE_CHECKING:
    from storytrace.stages.boilerplate.text.config import TextCleanConfig

# Words of outlet and company names, which sit where bylines do.
_ORG_WORDS = frozenset(
    "news times post journal press media daily weekly magazine network group agency inc llc "
    "ltd corp company tribune herald gazette review report today online tv radio channel "
    "staff team editors editorial desk".split()
)
# Comment sections are cut at their heading whatever follows: comments can
# outweigh the article they sit under.
_COMMENTS_HEAD = re.compile(
    r"^(\[?\s*\d+\s+(comments?|responses?|replies)\s*\]?|comments?(\s*\(\d+\))?|"
    r"((top|highest) rated|recent|newest|show|view|read|load|post|add)\s+(\w+\s+)?comments?|"
    r"leave a (reply|comment)|join the (conversation|discussion)|"
    r"(\d+\s+)?(thoughts|responses?) (on|to) .{0,80})\s*:?$",
    re.I,
)
# Headings of related-story lists: "Related Articles", "Latest News from X",
# "More stories from X", "You might also like", "Most read".
_FOOTER_HEAD = re.compile(
    r"^(related(\s+\w+)?|(latest|more|other|top|trending|popular|recent)\s+"
    r"(news|stories|articles|posts|headlines|reads)(\s+(from|by|on|in)\b.{0,40})?|"
    r"more (from|by) .{1,40}|you (may|might) (also )?(like|enjoy)|recommended( for you)?|"
    r"most (read|popular|viewed|shared)|editor'?s picks?|don'?t miss)\s*:?$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class LineLabel:
    """The decision for one line: its label and the layer that made it."""

    label: SegmentLabel
    method: str


# "About The Author" / "About Jane Doe (348 Articles)": an author-bio heading.
_ABOUT = re.compile(
    r"^(?i:about)\s+((?i:the\s+author)|[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,3})"
    r"(\s*\(\d+\s+(?i:articles|posts|stories)\))?\s*$"
)
# A copyright notice: "Copyright 1999-2025 X", "© 2025 X", "All rights reserved".
_LEGAL_LINE = re.compile(
    r"^(copyright|©|\(c\))|(copyright|©)\s*(©\s*)?\d{4}|all rights reserved", re.I
)
_VOCAB_LABELS = (
    ("counter", SegmentLabel.COUNTER),
    ("legal", SegmentLabel.LEGAL),
    ("comments", SegmentLabel.COMMENTS),
    ("social", SegmentLabel.SOCIAL),
    ("caption", SegmentLabel.CAPTION),
    ("related", SegmentLabel.RELATED),
)


def word_count(text: str) -> int:
    """Number of ``\\w+`` words in a line."""
    return len(WORD.findall(text))


def is_byline(text: str) -> bool:
    """A short "By Jane Doe" line whose words after "by" are mostly capitalised.

    Args:
        text (str): one stripped line.

    Returns:
        bool: whether it reads as an author line ("By contrast, ..." does not).
    """
    match = BYLINE.match(text)
    if not match or word_count(text) > 12 or SENTENCE_END.search(text):
        return False
    rest = text[match.end() - 1 :].split()
    return sum(w[:1].isupper() for w in rest) >= 0.5 * len(rest)


def is_dateline(text: str) -> bool:
    """A short line that prints a date ("Apr 9, 2025, 5:53 AM", "09 April 2025 12:58").

    Args:
        text (str): one stripped line.

    Returns:
        bool: whether the line is mostly a date.
    """
    if not DATE.search(text) or word_count(text) > 12:
        return False
    words = [w.lower() for w in WORD.findall(text)]
    return sum(w in STOPWORDS for w in words) <= 0.3 * len(words)


@dataclass(frozen=True, slots=True)
class FooterCut:
    """A run of lines ``[start, end)`` cut by the footer rule, and what it holds."""

    start: int
    end: int
    label: SegmentLabel


def _list_end(lines: tuple[Line, ...], body: list[bool], head: int) -> int:
    """First line after a related heading where article prose resumes, else the end.

    A related box inside an article (a heading, a few teaser titles) is
    followed by more of the article; seed 000's footer is followed directly
    by full-prose stories, so it never "resumes" and is cut to the end.
    """
    for j in range(head + 1, len(lines)):
        prose = word_count(lines[j].text) >= 15 and SENTENCE_END.search(lines[j].text)
        if body[j] and prose:
            return j if j > head + 1 else len(lines)
    return len(lines)


def footer_cut(lines: tuple[Line, ...], body: list[bool]) -> FooterCut | None:
    """Where the article ends: a comments heading or a related-stories heading.

    A comments heading ("Leave a Reply", "[ 167 comments ]") cuts whatever
    follows, since comments can outweigh the article. A related-stories
    heading cuts its list; it cuts to the end only when no more body follows
    than preceded it (an inline "Related:" link is no footer). Seed 000's
    "Latest News from Worthy News" (seven unrelated stories) motivated it.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        body (list[bool]): the model's body decisions.

    Returns:
        FooterCut | None: the lines cut and their label, or ``None``.
    """
    words = [word_count(ln.text) for ln in lines]
    total = sum(w for w, b in zip(words, body, strict=True) if b)
    before = 0
    for i, line in enumerate(lines):
        before += words[i] if body[i] else 0
        if not before or words[i] > 16 or SENTENCE_END.search(line.text):
            continue
        if _COMMENTS_HEAD.match(line.text) and before >= 50:
            return FooterCut(i, len(lines), SegmentLabel.COMMENTS)
        if _FOOTER_HEAD.match(line.text) and before >= total - before:
            return FooterCut(i, _list_end(lines, body, i), SegmentLabel.RELATED)
    return None


def pick_title(lines: tuple[Line, ...], first_body: int, config: TextCleanConfig) -> int | None:
    """Index of the headline among the lines just above the first body line.

    A headline is a 3-to-``max_title_words`` line with no full stop and no page
    furniture vocabulary; lines sharing words with the page's first line (the
    HTML ``<title>`` in most dumps) and lines nearer the body score higher.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        first_body (int): index of the first body line.
        config (TextCleanConfig): ``title_window`` and ``max_title_words``.

    Returns:
        int | None: the headline's index, or ``None`` when no line qualifies.
    """
    head = {w.lower() for w in WORD.findall(lines[0].text)} if lines else set()
    best, best_score = None, 0.0
    for i in range(max(first_body - config.title_window, 0), first_body):
        text = lines[i].text
        words = WORD.findall(text)
        if not 3 <= len(words) <= config.max_title_words or text.endswith("."):
            continue
        if is_byline(text) or is_dateline(text) or URLISH.search(text):
            continue
        if any(VOCAB[k].search(text) for k in ("social", "legal", "comments", "counter")):
            continue
        overlap = sum(w.lower() in head for w in words) / len(words)
        # The HTML <title> ("Headline | Site") opens most dumps: a line it
        # repeats is the headline, however far above the body it sits.
        score = 1.0 + 2 * overlap + min(len(words), 12) / 12 - 0.03 * (first_body - i)
        if score > best_score:
            best, best_score = i, score
    return best


def _caption_pairs(lines: tuple[Line, ...]) -> set[int]:
    """Lines of an image caption printed twice, the second time with its credit.

    html-text renders ``alt`` text and then the caption glued to the credit
    (seed 001: "Shiite militia in Iraq" / "Shiite militia in IraqReuters").
    """
    out: set[int] = set()
    for i in range(len(lines) - 1):
        a, b = lines[i].text, lines[i + 1].text
        credit = b[len(a) :]
        if b.startswith(a) and 0 < word_count(credit) <= 4 and word_count(a) <= 25:
            out.update((i, i + 1))
    return out


def _vocab_label(text: str, before_body: bool) -> SegmentLabel:
    """Finer label of a removed line from its vocabulary and position."""
    if _ABOUT.match(text) and "author" in text.lower():
        return SegmentLabel.AUTHOR_BIO
    for name, label in _VOCAB_LABELS:
        if VOCAB[name].search(text):
            return label
    short = word_count(text) <= 8  # menus are short; long lines up top are teasers
    return SegmentLabel.NAVIGATION if before_body and short else SegmentLabel.BOILERPLATE


def _removed_label(lines: tuple[Line, ...], i: int, first_body: int) -> LineLabel:
    """Label of one non-body line outside the title/byline/dateline slots."""
    return LineLabel(_vocab_label(lines[i].text, i < first_body), "textclean.rule.vocab.v1")


def is_name_line(text: str) -> bool:
    """A bare author name ("Andrew King", "Mike Marshall, Shipping Expert").

    Only consulted between the headline and the body, where sites print the
    author without "By".

    Args:
        text (str): one stripped line.

    Returns:
        bool: 2 to 4 capitalised words before any comma, no digits, stopwords
        or furniture words.
    """
    name = re.split(r"[,|]", text)[0].split()
    if not 2 <= len(name) <= 4 or any(c.isdigit() for c in text) or SENTENCE_END.search(text):
        return False
    if any(VOCAB[k].search(text) for k in VOCAB_NAMES):
        return False
    if any(w.lower() in STOPWORDS or w.lower() in _ORG_WORDS for w in name):
        return False  # "Written By", "Schedule Your ...", seed 001's "Israel National News"
    return all(w[:1].isupper() and w.replace(".", "").replace("-", "").isalpha() for w in name)


def meta_slots(
    lines: tuple[Line, ...], span: tuple[int, int], config: TextCleanConfig
) -> dict[int, LineLabel]:
    """Title, byline and dateline lines found around the body's start (and end).

    Args:
        lines (tuple[Line, ...]): the page's lines.
        span (tuple[int, int]): indices of the first and last body line.
        config (TextCleanConfig): ``title_window`` and ``max_title_words``.

    Returns:
        dict[int, LineLabel]: line index to its TITLE, BYLINE or DATELINE label.
    """
    first, last = span
    slots: dict[int, LineLabel] = {}
    title = pick_title(lines, first, config)
    if title is not None:
        slots[title] = LineLabel(SegmentLabel.TITLE, "textclean.rule.title.v1")
    # Nearest the body first: a far-up "By ..." is more likely a teaser's.
    window = [
        *range(first - 1, max(first - config.title_window, 0) - 1, -1),
        *range(last + 1, min(last + 4, len(lines))),
    ]
    for kind, test in ((SegmentLabel.BYLINE, is_byline), (SegmentLabel.DATELINE, is_dateline)):
        found = [i for i in window if i not in slots and test(lines[i].text)]
        if found:
            slots[found[0]] = LineLabel(kind, f"textclean.rule.{kind.value}.v1")
    if title is not None and SegmentLabel.BYLINE not in {v.label for v in slots.values()}:
        zone = range(title + 1, min(first, title + 5))
        names = [i for i in zone if is_name_line(lines[i].text)]
        if names and names[0] not in slots:
            slots[names[0]] = LineLabel(SegmentLabel.BYLINE, "textclean.rule.byline.name.v1")
    return slots


def _bio_lines(lines: tuple[Line, ...], body: list[bool]) -> dict[int, LineLabel]:
    """An "About <author>" heading after most of the body, and the bio under it.

    Seed 004 prints the author's bio as full prose under "About Siavosh
    Hosseini (348 Articles)"; only the heading tells it from the article. The
    bio runs until the next short line ("Leave a Reply").
    """
    words = [word_count(ln.text) if b else 0 for ln, b in zip(lines, body, strict=True)]
    total = sum(words)
    out: dict[int, LineLabel] = {}
    for i, line in enumerate(lines):
        about = _ABOUT.match(line.text)
        if not about or sum(words[:i]) < 0.6 * total:
            continue
        named = "author" not in about.group(1).lower() and word_count(about.group(1)) >= 2
        kind = SegmentLabel.BYLINE if named else SegmentLabel.AUTHOR_BIO
        out[i] = LineLabel(kind, f"textclean.rule.{kind.value}.about.v1")
        j = i + 1
        while j < len(lines) and word_count(lines[j].text) > 8:
            out[j] = LineLabel(SegmentLabel.AUTHOR_BIO, "textclean.rule.bio.v1")
            j += 1
    return out


def _url_line(text: str) -> bool:
    """A source or link line: a URL with at most a few words around it."""
    urls = re.findall(r"https?://\S+|www\.\S+", text)
    rest = re.sub(r"https?://\S+|www\.\S+", " ", text)
    return bool(urls) and word_count(rest) <= 6


# Vocabulary classes that mark a short line as furniture wherever it stands; the
# navigation words ("more", "home", "next") only when the line is no sentence.
_FURNITURE_KINDS = ("social", "legal", "comments", "related", "counter")


def furniture_label(text: str, before_body: bool = False) -> LineLabel | None:
    """The label of a line that is page furniture on its face, else ``None``.

    Used to tell already-clean article text from a page dump: a copyright
    notice, a bare URL, a comments or related-stories heading, or a short line
    (under 8 words) of furniture vocabulary ("Share on Facebook", "SUBSCRIBE").

    Args:
        text (str): one stripped line.
        before_body (bool): whether it sits above the article (names menus).

    Returns:
        LineLabel | None: its removed label and rule, or ``None``.
    """
    if _LEGAL_LINE.search(text) and word_count(text) <= 40:
        return LineLabel(SegmentLabel.LEGAL, "textclean.rule.legal.v1")
    if _url_line(text):
        return LineLabel(SegmentLabel.BOILERPLATE, "textclean.rule.url.v1")
    words = word_count(text)
    sentence = bool(SENTENCE_END.search(text))
    # 8+ words is prose (a headline, a lead); a short sentence only when it is
    # a button-sized one ("Share this article.", "Follow us on Twitter."):
    # "SEACOM confirmed the problems on their Twitter account." is article text.
    if words >= 8 or (sentence and words > 4):
        return None
    heads = _COMMENTS_HEAD.match(text) or _FOOTER_HEAD.match(text)
    vocab = any(VOCAB[k].search(text) for k in _FURNITURE_KINDS)
    if heads or vocab or (VOCAB["nav"].search(text) and not sentence):
        return LineLabel(_vocab_label(text, before_body), "textclean.rule.vocab.v1")
    return None


def is_page_signal(text: str) -> bool:
    """A line that only a whole web page prints, never article text alone.

    A comments heading ("Leave a Reply"), a related-stories heading, a
    copyright notice or an author-bio heading (seed 004 has all but the
    second under otherwise clean prose). Callers only count it below the
    first prose line: "5 Thoughts on Why ..." can be a headline.

    Args:
        text (str): one stripped line.

    Returns:
        bool: whether the line gives the page away as a dump.
    """
    if word_count(text) > 16 or SENTENCE_END.search(text):
        return bool(_LEGAL_LINE.search(text)) and word_count(text) <= 40
    about = _ABOUT.match(text)
    # "About Summit Entertainment LLC" heads a press release's company note (ECB+
    # 6_3ecb); only an author heading ("About The Author", "(348 Articles)") is a bio.
    bio = about is not None and ("author" in text.lower() or about.group(3) is not None)
    heads = _COMMENTS_HEAD.match(text) or _FOOTER_HEAD.match(text)
    return bool(heads or bio or _LEGAL_LINE.search(text))


def _furniture(lines: tuple[Line, ...], body: list[bool]) -> dict[int, LineLabel]:
    """Removed lines that rules recognise whatever the model said."""
    out = {
        i: LineLabel(SegmentLabel.CAPTION, "textclean.rule.caption.v1")
        for i in _caption_pairs(lines)
    }
    for i, line in enumerate(lines):
        if _LEGAL_LINE.search(line.text) and word_count(line.text) <= 40:
            out[i] = LineLabel(SegmentLabel.LEGAL, "textclean.rule.legal.v1")
        elif _url_line(line.text):  # seed 001: "Content retrieved from: https://..."
            out[i] = LineLabel(SegmentLabel.BOILERPLATE, "textclean.rule.url.v1")
    for i, label in _bio_lines(lines, body).items():
        out.setdefault(i, label)
    return out


def _islands(lines: tuple[Line, ...], body: list[bool], config: TextCleanConfig) -> list[int]:
    """Body lines in small runs cut off from the article by boilerplate.

    Runs of body lines are split wherever ``island_gap`` or more removed lines
    intervene; every run but the largest with fewer than ``island_words``
    words is dropped (a teaser headline between menus, a stray caption).
    """
    runs: list[list[int]] = []
    last = -config.island_gap - 1
    for i, b in enumerate(body):
        if b:
            if i - last > config.island_gap:
                runs.append([])
            runs[-1].append(i)
            last = i
    sizes = [sum(word_count(lines[i].text) for i in run) for run in runs]
    biggest = max(range(len(runs)), key=lambda k: sizes[k], default=-1)
    return [
        i
        for k, run in enumerate(runs)
        if k != biggest and sizes[k] < config.island_words
        for i in run
    ]


def _extend(
    lines: tuple[Line, ...], scores: FloatArray, body: list[bool], config: TextCleanConfig
) -> None:
    """Hysteresis: a prose line scoring at least ``extend_threshold`` next to body is body.

    The last paragraph before a footer scores low because its neighbours are
    furniture; jusText's "near-good" blocks are rescued the same way.
    """
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if body[i] or scores[i] < config.extend_threshold:
                continue
            near = (i > 0 and body[i - 1]) or (i + 1 < len(lines) and body[i + 1])
            if near and word_count(line.text) >= 8 and SENTENCE_END.search(line.text):
                body[i] = changed = True


def _body_decisions(
    lines: tuple[Line, ...], scores: FloatArray, config: TextCleanConfig
) -> dict[int, LineLabel]:
    """Body lines after the model and the rules that override it."""
    body = [float(s) >= config.body_threshold for s in scores]
    _extend(lines, scores, body, config)
    overrides = _furniture(lines, body)
    kept = [i for i, b in enumerate(body) if b]
    for i in kept[:2] + kept[-2:]:
        # A byline or date at either end of the body is metadata, read by the
        # metadata stage; inside the body a date is content (a table row).
        if is_byline(lines[i].text) or is_dateline(lines[i].text):
            body[i] = False
    for i in overrides:
        body[i] = False
    cut = footer_cut(lines, body) if config.footer_rule else None
    if cut is not None:
        for i in range(cut.start, cut.end):
            body[i] = False
            overrides.setdefault(i, LineLabel(cut.label, "textclean.rule.footer.v1"))
    for i in _islands(lines, body, config):
        body[i] = False
        overrides.setdefault(i, LineLabel(SegmentLabel.BOILERPLATE, "textclean.rule.island.v1"))
    decided = {i: LineLabel(SegmentLabel.BODY, MODEL_METHOD) for i, b in enumerate(body) if b}
    return {**overrides, **decided}


def label_page(
    lines: tuple[Line, ...], scores: FloatArray, config: TextCleanConfig
) -> list[LineLabel]:
    """Label every line: body (model), then title/byline/dateline, then the rest.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        scores (FloatArray): stage-two body probabilities.
        config (TextCleanConfig): thresholds.

    Returns:
        list[LineLabel]: one decision per line.
    """
    decided = _body_decisions(lines, scores, config)
    body_idx = [i for i, d in decided.items() if d.label is SegmentLabel.BODY]
    span = (min(body_idx), max(body_idx)) if body_idx else (len(lines), len(lines))
    slots = meta_slots(lines, span, config) if body_idx else {}
    out: list[LineLabel] = []
    for i in range(len(lines)):
        if i in decided and (decided[i].label is SegmentLabel.BODY or i not in slots):
            out.append(decided[i])
        elif i in slots:
            out.append(slots[i])
        else:
            out.append(_removed_label(lines, i, span[0]))
    return out
