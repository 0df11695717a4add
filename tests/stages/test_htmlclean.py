"""Tests of the HTML boilerplate stage (``storytrace.stages.boilerplate.html.clean``)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from storytrace.models.html import SHARED_PARSER
from storytrace.records import Cleaned, SegmentLabel
from storytrace.stages.boilerplate.html.align import align_blocks
from storytrace.stages.boilerplate.html.clean import clean_html
from storytrace.stages.boilerplate.html.config import HtmlCleanConfig
from storytrace.stages.boilerplate.html.render import Block, render_page
from storytrace.stages.boilerplate.html.truncation import truncation

_PARAS = (
    "The city council voted on Tuesday to approve the new transit plan after months of debate.",
    "Supporters said the plan would cut commuting times for thousands of residents every day.",
    "Opponents argued that the cost estimates were too optimistic and asked for an audit first.",
    "The mayor said construction could begin next spring if the state releases its funding.",
)


def _page(body: str, extra: str = "") -> str:
    return (
        "<html><head><title>Transit plan | Daily Bugle</title>"
        "<style>p { color: red }</style><script>var secret = 'x';</script></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        f"<article><h1>Council approves transit plan</h1>{body}</article>{extra}"
        "<footer><p>© 2024 Daily Bugle. All rights reserved.</p></footer></body></html>"
    )


ARTICLE = _page(
    "".join(f"<p>{p}</p>" for p in _PARAS[:2])
    + "<figure><img src='a.jpg'><figcaption>Photo: Jane Roe/Reuters</figcaption></figure>"
    + "".join(f"<p>{p}</p>" for p in _PARAS[2:]),
    "<div class='related-stories'><h3>Related</h3><ul><li><a>Bridge closes for repairs</a></li>"
    "<li><a>Bus fares to rise in May</a></li></ul></div>",
)
BROKEN = "<html><body><div><p>" + "<p>".join(_PARAS) + "<div><span>unclosed"
HOSTILE = _page(
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; is what the attacker typed into the form.</p>"
    + "".join(f"<p>{p}</p>" for p in _PARAS)
)
CUT = _page(
    "".join(f"<p>{p}</p>" for p in _PARAS)
    + "<p>The agency confirmed the schedule. It also said that some of the"
)
PAGES = [ARTICLE, BROKEN, HOSTILE, CUT]


def _check_invariant(cleaned: Cleaned) -> None:
    body = [s for s in cleaned.segments if s.is_body]
    assert cleaned.text == "\n\n".join(cleaned.page_text[s.start : s.end] for s in body)
    for seg in cleaned.segments:
        assert 0 <= seg.start < seg.end <= len(cleaned.page_text)
        if seg.is_body:
            assert seg.text_start is not None
            piece = cleaned.text[seg.text_start : seg.text_start + (seg.end - seg.start)]
            assert piece == cleaned.page_text[seg.start : seg.end]
        else:
            assert seg.text_start is None


@pytest.mark.parametrize("html", PAGES)
def test_htmlclean_segment_text_invariant(html: str) -> None:
    _check_invariant(clean_html(html))


@pytest.mark.parametrize("html", PAGES)
def test_htmlclean_segments_cover_every_line(html: str) -> None:
    cleaned = clean_html(html)
    lines = cleaned.page_text.split("\n")
    assert len(cleaned.segments) == len(lines)


@pytest.mark.parametrize("config", [HtmlCleanConfig(), HtmlCleanConfig(ensemble=False)])
def test_htmlclean_body_keeps_paragraphs_drops_boilerplate(config: HtmlCleanConfig) -> None:
    cleaned = clean_html(ARTICLE, config)
    for para in _PARAS:
        assert para in cleaned.text
    for junk in ("Home", "Bridge closes", "Photo: Jane Roe", "All rights reserved"):
        assert junk not in cleaned.text
        assert junk in cleaned.page_text


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        # the precise run in doubt (a short page), so the balanced run is made too
        (HtmlCleanConfig(), [("precision", True), ("balanced", False)]),
        (HtmlCleanConfig(fast_precise=False), [("precision", False), ("balanced", False)]),
        (HtmlCleanConfig(ensemble=False), [("precision", False)]),
    ],
)
def test_htmlclean_fast_mode_only_for_the_ensembles_precise_run(
    monkeypatch: pytest.MonkeyPatch, config: HtmlCleanConfig, expected: list[tuple[str, bool]]
) -> None:
    import trafilatura

    calls: list[tuple[str, bool]] = []
    real = trafilatura.extract

    def spy(*args: object, **kwargs: object) -> str | None:
        favor = "precision" if kwargs.get("favor_precision") else "balanced"
        calls.append((favor, bool(kwargs.get("fast"))))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trafilatura, "extract", spy)
    cleaned = clean_html(ARTICLE, replace(config, confident_share=1.01))
    assert calls == expected
    assert _PARAS[0] in cleaned.text


@pytest.mark.parametrize(
    ("fast", "share", "method"),
    [
        (True, 0.5, "htmlclean.trafilatura.precision.fast.v1"),
        (False, 0.5, "htmlclean.trafilatura.precision.v1"),
        # the precise run in doubt: merged with the balanced run
        (True, 1.01, "htmlclean.ensemble.fast.v1"),
        (False, 1.01, "htmlclean.ensemble.v1"),
    ],
)
def test_htmlclean_method_names_the_precise_runs_mode(
    fast: bool, share: float, method: str
) -> None:
    config = replace(HtmlCleanConfig(), fast_precise=fast, confident_share=share)
    assert clean_html(ARTICLE, config).method == method + "+htmlclean.prune.v1"


@pytest.mark.parametrize(
    ("needle", "label"),
    [
        ("Home", SegmentLabel.NAVIGATION),
        ("Photo: Jane Roe/Reuters", SegmentLabel.CAPTION),
        ("Bridge closes for repairs", SegmentLabel.RELATED),
        ("© 2024 Daily Bugle. All rights reserved.", SegmentLabel.LEGAL),
    ],
)
def test_htmlclean_boilerplate_labels(needle: str, label: SegmentLabel) -> None:
    cleaned = clean_html(ARTICLE)
    labels = {cleaned.page_text[s.start : s.end]: s.label for s in cleaned.segments}
    assert labels[needle] is label


@pytest.mark.parametrize("html", [ARTICLE, HOSTILE])
def test_htmlclean_scripts_and_styles_dropped(html: str) -> None:
    page_text = clean_html(html).page_text
    assert "secret" not in page_text
    assert "color: red" not in page_text


def test_htmlclean_hostile_markup_kept_as_text() -> None:
    cleaned = clean_html(HOSTILE)
    assert "<script>alert(1)</script> is what the attacker typed" in cleaned.page_text


@pytest.mark.parametrize("html", ["", "   ", "<", "<html></html>", "not html at all", "\x00\x01"])
def test_htmlclean_degenerate_input_does_not_crash(html: str) -> None:
    cleaned = clean_html(html)
    _check_invariant(cleaned)


def test_htmlclean_broken_html_keeps_text() -> None:
    cleaned = clean_html(BROKEN)
    assert "unclosed" in cleaned.page_text
    assert _PARAS[0] in cleaned.text


@pytest.mark.parametrize(
    ("html", "truncated"),
    [(ARTICLE, False), (CUT, True)],
)
def test_htmlclean_truncation(html: str, truncated: bool) -> None:
    cleaned = clean_html(html)
    assert cleaned.truncated is truncated
    if truncated:
        evidence = cleaned.truncation_evidence
        assert evidence is not None and evidence.ref == "text"
        assert cleaned.text[evidence.start : evidence.end] == evidence.snippet


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("A full sentence that ends properly with a period.", False),
        ("Short label", False),
        ("The story was still going. Then the page ended, as it did, and some I", True),
        ("A list item that simply has no final full stop at all here", False),
        ("Reporting by A. Roe and B. Doe; Editing by Nick Zieminski and Dan Grebler", False),
        ("For details see our site. Visit https://example.com/about/us", False),
        ("You may also like...", False),
        ("Subscribers can read the rest of this article here ...", True),
        ("", False),
    ],
)
def test_htmlclean_truncation_rule(text: str, cut: bool) -> None:
    assert (truncation(text, 8) is not None) is cut


def test_htmlclean_render_one_block_per_line() -> None:
    root = SHARED_PARSER.parse(
        "<html><body><div>a <b>bold</b> word<br>next line</div><p>para</p></body></html>"
    )
    assert root is not None
    page = render_page(root)
    assert page.page_text == "a bold word\nnext line\npara"
    assert [page.page_text[b.start : b.end] for b in page.blocks] == page.page_text.split("\n")


def _blocks(*lines: str) -> list[Block]:
    root = SHARED_PARSER.parse("<html><body><p>x</p></body></html>")
    assert root is not None
    keys = [" ".join(line.lower().split()) for line in lines]
    return [Block(0, 1, key, None, root) for key in keys]


@pytest.mark.parametrize(
    ("lines", "output", "body"),
    [
        # a menu item "news" must not match the word inside a body sentence
        (("news", "the big news of the day is here", "more text follows here now"),
         "the big news of the day is here\nmore text follows here now", {1, 2}),
        # a repeated teaser paragraph anchors only once, in order
        (("alpha beta gamma delta", "one two three four", "alpha beta gamma delta"),
         "one two three four\nalpha beta gamma delta", {1, 2}),
        # a short sub-heading between anchors at an output line start is body
        (("first paragraph has five words", "subhead", "second paragraph has five words"),
         "first paragraph has five words\nsubhead\nsecond paragraph has five words", {0, 1, 2}),
    ],
)  # fmt: skip
def test_htmlclean_align_blocks(lines: tuple[str, ...], output: str, body: set[int]) -> None:
    assert set(align_blocks(_blocks(*lines), output, 4)) == body


_ODD_PAGES = [
    *PAGES,
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared encoding.</p></body></html>',
    "<!DOCTYPE html>\n<html/>\n<body><p>Self-closing html tag.</p></body>",
    "<p>A bare fragment, not a page.</p>",
    "<form><input name=q><select><option>a</select><textarea>t</textarea></form>",
]


@pytest.mark.parametrize("html", _ODD_PAGES)
def test_htmlclean_parse_matches_trafilatura_load_html(html: str) -> None:
    """Our parser (C-level class lookup) builds the tree trafilatura's ``load_html`` builds,
    except that a fragment trafilatura gives up on ("<p>...</p>", no <html>) is kept whole."""
    from lxml import etree
    from trafilatura.utils import load_html

    ours, theirs = SHARED_PARSER.parse(html), load_html(html)
    if theirs is None:
        assert ours is not None and ours.find("body") is not None
        words = " ".join(re.sub(r"<[^>]*>", " ", html).split())
        assert " ".join(ours.text_content().split()) == words
        return
    assert ours is not None
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_htmlclean_parse_uses_one_element_class() -> None:
    """Form controls are plain ``HtmlElement`` too: no per-element Python class lookup."""
    from lxml.html import HtmlElement

    root = SHARED_PARSER.parse(_ODD_PAGES[-1].join(("<html><body>", "</body></html>")))
    assert root is not None
    assert {type(el) for el in root.iter() if isinstance(el.tag, str)} == {HtmlElement}
