"""HTML and Markdown reports: self-contained, every section present, hostile text escaped."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from typing import Any

import pytest

from storytrace import api
from storytrace.report import render
from storytrace.report.render import SECTION_TITLES
from storytrace.report.view import timeline_parts

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&</textarea>`**bold**` [x](javascript:alert(3))"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NEW_SECTIONS = ("verdicts", "provenance", "claims", "drift", "disagreements", "timeline")
#: Where the Markdown shows each of them: the index, the graph's section, each story's parts.
MD_HEADINGS = ("## Story index\n", "## Who got it from whom\n", "#### Claims of story A\n",
               "#### Quotes worded differently in story A\n", "#### Disagreements in story A\n",
               "#### Timeline of story A\n")  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("hostile")
    record = {
        "text": f"Officials said the plan was {PAYLOAD} and more.\n\nA second paragraph of article text follows here.",
        "title": PAYLOAD, "outlet": PAYLOAD, "author": PAYLOAD, "url": "javascript:alert(4)", "published": "2025-04-09",
    }  # fmt: skip
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return api.to_json_data(api.analyze([folder]))


def _poison_claims(data: dict[str, Any]) -> None:
    for v in data["verdicts"]:
        v.update(line=f"{v['line']}: {PAYLOAD}", disputed=[PAYLOAD])
    for c in data["claims"]:
        c.update(text=PAYLOAD, verdict=PAYLOAD)
        for m in c["mentions"]:
            m.update(chain=f"{PAYLOAD} → {PAYLOAD}", speaker=PAYLOAD)
            m["span"]["text"] = PAYLOAD
    for e in data["provenance"]:
        e.update(source=e["source"].split(":")[0] + ":" + PAYLOAD, target="outlet:" + PAYLOAD)
        for sp in e["evidence"]:
            sp["text"] = PAYLOAD


def _poison_drift(data: dict[str, Any]) -> None:
    for d in data["drift"]:
        d.update(speaker=PAYLOAD, via=PAYLOAD, reason=PAYLOAD, kind="reworded")
        d["diff"] = [{"op": "replace", "a": PAYLOAD, "b": PAYLOAD}]
        d["a"]["text"] = d["b"]["text"] = PAYLOAD
    for dis in data["disagreements"]:
        dis.update(topic=PAYLOAD, reason=PAYLOAD)
        for side in dis["sides"]:
            side.update(label=PAYLOAD, sources=[PAYLOAD])
            for sp in side["mentions"]:
                sp["text"] = PAYLOAD


def _poison_dates(data: dict[str, Any]) -> None:
    for t in data["timeline"]:
        t.update(text=PAYLOAD, value=PAYLOAD)
        for s in t["sources"]:
            s["sentence"]["text"] = s["timex"]["text"] = PAYLOAD
            s["anchor"] = PAYLOAD
    for inf in data["date_inferences"]:
        for step in inf["steps"]:
            step.update(explanation=PAYLOAD, rule=PAYLOAD)


def _poison(data: dict[str, Any]) -> dict[str, Any]:
    """The seed data with the payload in every text field of the new sections."""
    for poison in (_poison_claims, _poison_drift, _poison_dates):
        poison(data)
    return data


#: Where each part of the analysis is shown: a page-wide section, or a part of each story.
STORY_PARTS = ("claims", "drift", "disagreements", "timeline")


def _section(page: str, name: str) -> str:
    """A page-wide section, or the first story's part of that name (up to the next part)."""
    if name in STORY_PARTS:
        start = page.index(f'class="part part-{name}"')
        ends = [
            page.find(m, start + 10)
            for m in ('class="part', '<details class="story"', "</section>")
        ]
        return page[start : min(e for e in ends if e != -1)]
    start = page.index(f'<section id="{name}"')
    return page[start : page.index("</section>", start)]


def _search_index(page: str) -> list[list[str]]:
    found = re.search(
        r'<script type="application/json" id="search-index">(.*?)</script>', page, re.S
    )
    assert found is not None, "the page embeds its search index"
    entries: list[list[str]] = json.loads(found.group(1))
    return entries


def _has_no_live_markup(page: str) -> None:
    scripts = re.findall(r"<script\b[^>]*>", page)
    runnable = [s for s in scripts if 'type="application/json"' not in s]
    assert runnable == ["<script>"], "only storytrace's own script may run"
    assert len(scripts) == 2, "besides it only the search index, which is data"
    assert "<img" not in page and "<textarea" not in page
    assert 'href="javascript:' not in page


@pytest.mark.model
def test_render_html_escapes_article_text_everywhere(hostile: dict) -> None:  # type: ignore[type-arg]
    page = render.render_html(hostile)
    _has_no_live_markup(page)
    # The search index holds the text as JSON with "<" and ">" escaped (checked below).
    markup = re.sub(r'(id="search-index">).*?(</script>)', r"\1\2", page, flags=re.S)
    assert "onerror=alert" not in markup.replace("onerror=alert(2)&gt;", "")
    assert ESCAPED in page


@pytest.mark.parametrize("name", NEW_SECTIONS)
@pytest.mark.model
def test_render_html_escapes_hostile_text_in_every_new_section(
    seed_data: dict[str, Any], name: str
) -> None:
    page = render.render_html(_poison(seed_data))
    _has_no_live_markup(page)
    assert ESCAPED[:30] in _section(page, name), f"the payload is shown, escaped, in {name}"


@pytest.mark.model
def test_render_html_escapes_hostile_inferred_date_steps(seed_data: dict[str, Any]) -> None:
    page = render.render_html(_poison(seed_data))
    article = page[page.index('id="doc-' + seed_data["date_inferences"][0]["doc_id"]) :]
    assert ESCAPED in article[: article.index("</dl>")]


@pytest.mark.model
def test_render_markdown_escapes_hostile_text_in_every_new_section(
    seed_data: dict[str, Any],
) -> None:
    text = render.render_markdown(_poison(seed_data))
    assert "<script" not in text and "<img" not in text and "](javascript:" not in text
    for heading in MD_HEADINGS:
        part = text[text.index(heading) :][:20_000]
        assert "&lt;script&gt;alert\\(1\\)" in part, f"the payload is shown, escaped, in {heading}"


@pytest.mark.model
def test_render_html_pins_its_only_script_with_a_csp_hash(hostile: dict) -> None:  # type: ignore[type-arg]
    page = render.render_html(hostile)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert f"'sha256-{digest}'" in policy and "default-src 'none'" in policy


@pytest.mark.model
def test_render_html_is_self_contained(seed_data: dict[str, Any]) -> None:
    page = render.render_html(seed_data)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page), "no network at view time"
    assert "<link" not in page
    assert "<svg" in page and "xlink:href" not in page and "<image" not in page


@pytest.mark.model
def test_render_html_opens_with_the_verdicts(seed_data: dict[str, Any]) -> None:
    page = render.render_html(seed_data)
    assert page.index('<section id="verdicts"') < page.index('<section id="stories"')
    verdicts = _section(page, "verdicts")
    first = re.search(r'<p class="verdict-line">(.*?)</p>', verdicts, re.S)
    assert first is not None
    text = re.sub(r"<[^>]+>", "", first.group(1))
    assert "Story A" in text and "4 articles, 1 independent origin" in text
    assert "Story B: 1 article" in re.sub(r"<[^>]+>", "", verdicts)
    assert SECTION_TITLES["verdicts"] == "Story index" and ">Story index</h2>" in verdicts


@pytest.mark.model
def test_render_html_says_which_sections_were_not_computed(seed_data: dict[str, Any]) -> None:
    absent = ["provenance", "claims", "timeline"]
    for name in absent:
        seed_data["sections"][name] = "not_computed"
        seed_data[name] = []
    page = render.render_html(seed_data)
    for name in ("verdicts", "stories", "provenance", "quotes", "entities", "documents"):
        assert f'<section id="{name}"' in page and SECTION_TITLES[name] in page
    assert "Not computed in this run." in _section(page, "provenance")
    note = "Not computed in this run: " + ", ".join(SECTION_TITLES[n] for n in absent) + "."
    assert note in page, "the note at the top names every section not computed"
    stories = _section(page, "stories")
    assert "Not computed in this run: claims and sources, timeline." in stories
    assert 'class="part part-claims"' not in stories and 'class="part part-timeline"' not in stories
    assert "Verdicts were not computed in this run (verdicts need stories and claims)" in page


@pytest.mark.model
def test_render_html_says_when_a_computed_section_found_nothing(
    seed_data: dict[str, Any],
) -> None:
    seed_data["drift"] = []
    stories = _section(render.render_html(seed_data), "stories")
    assert 'class="part part-drift"' not in stories
    assert "None found in this story: quotes worded differently." in stories


@pytest.mark.model
def test_render_html_links_every_statement_to_its_span(seed_data: dict[str, Any]) -> None:
    page = render.render_html(seed_data)

    def link(sp: dict[str, Any]) -> str:
        return f'href="#hl/{sp["doc_id"]}/text/{sp["start"]}/{sp["end"]}"'

    spans = [m["span"] for c in seed_data["claims"] for m in c["mentions"]]
    spans += [d[side] for d in seed_data["drift"] for side in ("a", "b")]
    spans += [
        sp for dis in seed_data["disagreements"] for s in dis["sides"] for sp in s["mentions"]
    ]
    dated = [t for t in seed_data["timeline"] if not t["method"].endswith(".reported")]
    spans += [s[k] for t in dated for s in t["sources"] for k in ("sentence", "timex")]
    # statements that print no date: the ones the page lists link their sentences
    # (their date is the publication's, not a span of the sentence)
    stories = {t["story_id"] for t in seed_data["timeline"]}
    by_story = {sid: [t for t in seed_data["timeline"] if t["story_id"] == sid] for sid in stories}
    shown = [e for sid in stories for e in timeline_parts(by_story[sid], 12)["undated"]]
    spans += [s["sentence"] for t in shown for s in t["sources"][:6]]
    missing = [sp["text"][:40] for sp in spans if link(sp) not in page]
    assert spans and shown and missing == []


@pytest.mark.model
def test_render_html_shows_inferred_dates_with_their_steps(seed_data: dict[str, Any]) -> None:
    page = render.render_html(seed_data)
    stories = _section(page, "stories")
    assert 'between 2025-04-08 and 2025-04-11</span> <span class="inferred">(inferred)' in stories
    step = seed_data["date_inferences"][0]["steps"][0]["explanation"]
    assert html.escape(step, quote=False) in stories.replace("&#39;", "'")


@pytest.mark.model
def test_render_html_draws_the_provenance_graph(seed_data: dict[str, Any]) -> None:
    svg = re.search(r"<svg[^>]*provenance-graph.*?</svg>", render.render_html(seed_data), re.S)
    assert svg is not None
    assert (
        svg.group(0).count('class="node node-outlet"') == 4
    )  # The Times, Reuters, Al Arabiya, Channel 12
    assert svg.group(0).count('class="node node-article"') == 5


@pytest.mark.model
def test_render_html_drift_marks_inserted_and_deleted_words(seed_data: dict[str, Any]) -> None:
    drift = _section(render.render_html(seed_data), "drift")
    assert "<del>transferred missiles to</del>" in drift and "<ins>equipped</ins>" in drift


@pytest.mark.model
def test_render_html_keeps_removed_boilerplate_viewable(seed_data: dict[str, Any]) -> None:
    page = render.render_html(seed_data)
    assert "Latest News from Worthy News" in page
    assert 'class="removed"' in page and "Show removed boilerplate" in page


@pytest.mark.model
def test_render_markdown_escapes_html_and_markdown(hostile: dict) -> None:  # type: ignore[type-arg]
    text = render.render_markdown(hostile)
    assert "<script" not in text and "<img" not in text
    assert "](javascript:" not in text


@pytest.mark.model
def test_render_markdown_lists_documents_and_sections(seed_data: dict[str, Any]) -> None:
    text = render.render_markdown(seed_data)
    assert len(re.findall(r"^### \d+\. ", text, re.M)) == 5  # one heading per article
    assert len(re.findall(r"^### Story [A-Z]+: ", text, re.M)) == len(seed_data["stories"])
    for name in ("verdicts", "stories", "provenance", "quotes", "entities", "documents"):
        assert f"## {SECTION_TITLES[name]}\n" in text
    for heading in MD_HEADINGS:
        assert heading in text


@pytest.mark.model
def test_render_markdown_reads_index_first_then_each_story(seed_data: dict[str, Any]) -> None:
    text = render.render_markdown(seed_data)
    order = ["\n## Story index\n", "\n## Stories\n", "\n### Story A: ", "\n#### Claims of story A\n",
             "\n### Story B: ", "\n## Who got it from whom\n", "\n## Articles\n"]  # fmt: skip
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    drift = text[text.index("#### Quotes worded differently in story A") :][:3000]
    assert "2 quote pairs quoted consistently (word for word), not listed." in drift
    assert "**word for word**" not in text, "verbatim pairs are counted, not listed"


@pytest.mark.model
def test_render_markdown_contains_the_verdicts(seed_data: dict[str, Any]) -> None:
    text = render.render_markdown(seed_data)
    verdicts = text[text.index("## Story index") : text.index("## Contents")]
    assert (
        "**Story A: 4 articles, 1 independent origin**: The Times, citing anonymous sources \\("
        in verdicts
    )
    assert "a regional intelligence source" in verdicts
    assert "disputed: whether the militias disarm" in verdicts
    assert "**Story B: 1 article**" in verdicts


@pytest.mark.model
def test_render_markdown_shows_drift_as_a_word_diff(seed_data: dict[str, Any]) -> None:
    text = render.render_markdown(seed_data)
    assert "[-transferred missiles to-] {+equipped+}" in text


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("a*b", r"a\*b"), ("<x>", "&lt;x&gt;"), ("[l](u)", r"\[l\]\(u\)"), (None, "")],
)
def test_render_md_escape(value: str | None, escaped: str) -> None:
    assert render.md_escape(value) == escaped


@pytest.mark.model
def test_render_html_embeds_a_search_index_of_claims_quotes_sources_and_names(
    seed_data: dict[str, Any],
) -> None:
    entries = _search_index(render.render_html(seed_data))
    kinds = {e[0] for e in entries}
    assert kinds == {"claim", "quote", "source", "entity"}
    quote = seed_data["quotes"][0]["content"][0]
    hit = next(e for e in entries if e[0] == "quote" and e[1].startswith(quote["text"][:40]))
    assert hit[3] == f"#hl/{quote['doc_id']}/text/{quote['start']}/{quote['end']}"
    assert sum(e[0] == "claim" for e in entries) == len(seed_data["claims"])


@pytest.mark.model
def test_render_html_search_index_cannot_close_its_block(seed_data: dict[str, Any]) -> None:
    page = render.render_html(_poison(seed_data))
    _has_no_live_markup(page)
    block = re.search(r'id="search-index">(.*?)</script>', page, re.S)
    assert block is not None and "<" not in block.group(1) and ">" not in block.group(1)
    assert any(PAYLOAD[:30] in e[1] for e in _search_index(page)), "shown as text once parsed"


@pytest.mark.model
def test_render_html_claims_table_filters_and_sorts_on_data(seed_data: dict[str, Any]) -> None:
    claims = _section(render.render_html(seed_data), "claims")
    assert 'class="claims-tools"' in claims and 'class="ct-text"' in claims
    assert claims.count('<button type="button" class="sort"') == 4
    rows = re.findall(r'<tr id="claim-[^"]+" data-order="\d+" data-stance="(\w+)" data-origins="(\d+)"'
                      r' data-articles="(\d+)" data-disputed="([01])"', claims)  # fmt: skip
    story_a = seed_data["stories"][0]["story_id"]
    assert len(rows) == sum(c["story_id"] == story_a for c in seed_data["claims"])
    disputed = [r[3] for r in rows]
    assert disputed == sorted(disputed, reverse=True), "disputed claims first"


@pytest.mark.model
def test_render_html_uses_plain_labels(seed_data: dict[str, Any]) -> None:
    page = render.render_html(seed_data)
    stories = _section(page, "stories")
    assert "says so (disarm)" in stories and "says yes: disarm" not in stories
    assert "GPE" not in _section(page, "entities")
    assert "country, city or state" in _section(page, "entities")


@pytest.mark.model
def test_render_html_drift_lists_only_reworded_quotes(seed_data: dict[str, Any]) -> None:
    drift = _section(render.render_html(seed_data), "drift")
    assert "kind-verbatim" not in drift
    assert drift.count('class="drift kind-') == sum(
        d["kind"] != "verbatim"
        for d in seed_data["drift"]
        if d["story_id"] == seed_data["stories"][0]["story_id"]
    )
    assert "2 more pairs quoted consistently (word for word) are not listed." in drift
