"""Time expressions: find them in an article and resolve them against its date.

A rule-based temporal tagger in the HeidelTime/SUTime tradition. Each expression
gets a TimeML/TIMEX3 ``type`` and ``value`` written as MEANTIME annotates them
("2025-04-08", "2025-W14", "2025-W14-WE", "2025-04", "2025-Q1", "2025-SP", "199"
for the 1990s, "P3Y", "PT48H", "PRESENT_REF") and, for dates and times, the
resolved ``DateValue`` interval (a day, Monday-Sunday of a week, a month ...).

Relative expressions ("last week", "on Tuesday", "in January") are resolved
against the document creation time (DCT). Without a DCT they keep X's in their
value ("XXXX-WXX", "XXXX-01") and get no interval: nothing is invented.

Resolution policy (the guidelines leave these open, so they are fixed here):

* A bare weekday follows the tense of its clause: past (or unknown) -> the latest
  such day on or before the DCT, future -> the first on or after it. The DCT's own
  weekday is the DCT ("Airbus said on Monday" in a Monday article is that Monday,
  as MEANTIME annotates it). "last"/"next" Tuesday exclude the DCT's own day;
  "this Saturday" is the Saturday of the DCT's Monday-Sunday week.
* A month (month and day, quarter, season, holiday) without a year takes the year
  that fits the tense (past: the latest one starting by the DCT; future: the first
  one ending on or after it), else the one nearest the DCT.
* Tense is the nearest tense marker before the expression in its sentence, else
  the nearest after it: "said on Monday it will deliver in October" reads Monday
  as past and October as future. No parser: a marker list is enough for news and
  keeps the stage fast and model-free.
* A clock time takes its day from a weekday/"today" printed with it, else from the
  last day-precision date earlier in the same sentence, else from the DCT.
* A fiscal year is named after the DCT's calendar year ("this fiscal year" FY2025)
  and gets no interval: where a company's year starts is not printed.
* A year printed after a year-less day is its year ("Valentine's Day in 2012");
  "September of that year" takes the year last mentioned; "the day after <event>"
  stays unresolved, and so does an anaphor counted from it.
* A year-less day takes the earlier year printed in its sentence or the one before,
  unless the DCT's reading is within 31 days of the DCT (fresh news).
* "this weekend" in a past clause of a weekday article is the weekend just gone.
* Text never makes the tagger raise: a reading counted past the calendar's ends
  ("next Tuesday" in an article of 9999-12-31) is read as without a DCT (X's, no
  interval); years are written in four digits ("0999", never "999", a decade).
* Not times: labels ("page 2013", "Flight 2011"), counts ("arrested 2010
  protesters"), scores ("won 2012 to 1998"),
  addresses and car names ("at 2016 Ontario", "a 2007 Ford Fusion"),
  "Today" in a name ("USA Today", "the Today show"), a type's plural ("KC-30s").

Layout: ``model`` (records and options), ``values`` (calendar arithmetic, value ->
interval, year picking), ``lexicon`` (regex fragments and word tables), ``handlers``
and ``relative`` (what each rule's match means), ``rules`` (the rule table) and
``engine`` (candidates, selection, context, records). Import from this package:
the sub-modules are internal and their underscore names may change.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

from storytrace.stages.dates.timex.engine import find_time_expressions
from storytrace.stages.dates.timex.model import METHOD, Handler, Tense, TimexConfig
from storytrace.stages.dates.timex.rules import RULES
from storytrace.stages.dates.timex.values import interval_of

__all__ = [
    "METHOD",
    "RULES",
    "Handler",
    "Tense",
    "TimexConfig",
    "find_time_expressions",
    "interval_of",
]
