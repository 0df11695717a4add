"""Word lists of the quote stage's frames: reporting verbs and nouns by construction.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re

#: Verbs whose clause (``ccomp``) is what was said.
SAY_VERBS = frozenset(
    """say tell report state claim confirm announce explain note warn disclose reveal insist
    deny indicate suggest argue add write believe think estimate acknowledge admit allege
    assert contend declare predict promise stress emphasize emphasise tweet testify reply
    respond recall agree conclude find caution concede complain maintain mention
    hint vow pledge accuse describe call dismiss label brand charge ask urge order instruct
    threaten plead announce publish quote cite inform assure remark observe reiterate
    acknowledge affirm forecast speculate fear suspect hope
    point show highlight demonstrate expect""".split()
)

#: Reporting verbs too common in other senses to take any clause: they report only a
#: ``that`` clause (``the study shows that ...``, not ``video shows police beating ...``).
THAT_ONLY_VERBS = frozenset({"show", "highlight", "demonstrate"})

#: Verbs that report a belief only in the active voice with a clause of their own
#: (``experts expect rates to remain low``); ``is expected to`` is appraisal, not a claim.
ACTIVE_CLAUSE_VERBS = frozenset({"expect"})

#: Verbs taking ``to``-infinitive content (``urged Y to ...``).
TO_VERBS = frozenset(
    "urge warn threaten vow pledge promise instruct order plead tell refuse".split()
)

#: Verbs whose object is the content (``claimed responsibility``, ``dismissed X as Y``).
OBJECT_VERBS = frozenset("claim confirm deny announce accuse reveal rule urge demand".split())

#: Object verbs whose object is a claim however short (``denied any wrongdoing``).
SHORT_OBJECT_VERBS = frozenset({"deny", "rule", "urge"})

#: Passive cues whose subject and complement are the claim (``is accused of ...``).
PASSIVE_VERBS = frozenset(
    "believe think say report accuse suspect consider allege expect understand identify".split()
)

#: Passive cues whose subject is what the agent said (``was confirmed by X``).
AGENT_VERBS = frozenset(
    """confirm announce report deny reveal claim allege label describe brand dismiss
    state disclose dispute reject predict estimate criticize criticise""".split()
)

#: Verbs whose ``for`` phrase is the content (``pleaded for privacy``).
FOR_VERBS = frozenset({"plead", "ask", "call", "appeal", "press"})

#: Fewest words of an object that is itself the claim (``claimed responsibility for X``).
MIN_OBJECT_WORDS = 4

#: Verbs whose object and its predicate are the content (``dismissed X as Y``).
PREDICATE_VERBS = frozenset(
    "dismiss describe call label brand characterize portray treat regard view".split()
)

#: Every verb that may cue a frame: reporting verbs, and the verbs whose object or
#: predicate is the claim (``ruled out X``, ``treating the fire as suspicious``).
CUE_VERBS = SAY_VERBS | OBJECT_VERBS | PREDICATE_VERBS

#: Verbs of the ``nearest`` layer: ``"...," X said``.
NEAR_VERBS = frozenset(
    """say tell add write ask explain state reply note insist declare scream shout
    tweet post recall warn argue conclude remark confirm disclose reveal admit acknowledge
    stress announce claim tell comment respond testify plead joke complain cry yell""".split()
)

#: Verbs that cue a quotation only right beside it (``"...," Wilgus clarifies.``,
#: ``she shares: "..."``): too common elsewhere to take a quotation from afar.
TIGHT_VERBS = frozenset(
    """clarify share note continue quip sing muse laugh recount offer advise agree concede
    emphasize emphasise observe reflect describe wonder chime counter retort caution urge
    predict promise order demand read begin finish sigh whisper shrug smile nod mention
    suggest point lament boast brag gush exclaim mutter murmur reason answer inquire
    summarize summarise elaborate assert maintain stress highlight reiterate recommend
    advise tout acknowledge""".split()
)

#: Nouns that introduce reported content.
SAY_NOUNS = frozenset(
    "warning claim suggestion allegation assertion statement announcement report".split()
)

#: Nouns for a text that reports (``the report``, ``an article revealing``).
DOCUMENT_NOUNS = frozenset({"report", "article", "story", "statement", "study", "investigation"})

#: Dependency labels of a clause's subject.
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")

#: A title abbreviation the parser may cut a name at (``Sgt.``, ``Cpl.``, ``DAE``).
TITLE_ABBREV = re.compile(r"^(?:[A-Z][a-z]{1,4}\.|[A-Z]{2,5})$")

#: Head nouns of a description of an organisation (``the agency said``): its referent
#: is a named organisation, not a person.
ORG_NOUNS = frozenset(
    """agency department ministry company firm group studio network paper newspaper daily
    magazine channel station office organization organisation union party government
    council committee commission board court bank service authority institute""".split()
)

#: Heads of a body that speaks as itself: with a name beside it (``Vancouver police``,
#: ``the US military``, ``Bolivia's public defender's office``) the source is on record.
INSTITUTION_NOUNS = ORG_NOUNS | frozenset(
    "police military army navy force forces center centre embassy administration".split()
)

#: Offices one person holds at a time: ``China's ambassador to Britain``, ``the Iranian
#: foreign minister`` name who speaks as surely as a name does. Spokespeople, officials,
#: sources and aides are many and stay unnamed.
UNIQUE_ROLE_NOUNS = frozenset(
    """ambassador minister president governor mayor premier chancellor secretary
    attorney general sheriff commissioner chairman chairwoman chair ceo""".split()
)
