"""The rule table: one compiled pattern and handler per kind of expression.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re

from storytrace.stages.dates.timex.handlers import (
    _h_century,
    _h_compact_part,
    _h_decade,
    _h_duration,
    _h_fiscal_short,
    _h_full_date,
    _h_holiday,
    _h_iso,
    _h_later_date,
    _h_long,
    _h_month,
    _h_month_day,
    _h_month_year,
    _h_months_of_year,
    _h_numeric,
    _h_part_of_year,
    _h_quarters,
    _h_ref,
    _h_season,
    _h_set,
    _h_vague_duration,
    _h_week_of,
    _h_year,
)
from storytrace.stages.dates.timex.lexicon import (
    _DAY,
    _MONTH_ANY,
    _MONTH_FULL,
    _NUM,
    _POS,
    _UNIT,
    _WEEKDAY,
    _YEAR,
)
from storytrace.stages.dates.timex.model import Handler, _Rule
from storytrace.stages.dates.timex.relative import (
    _h_ago,
    _h_anaphoric,
    _h_deictic,
    _h_rel_unit,
    _h_same_period,
    _h_the_day,
    _h_the_quarter,
    _h_the_year,
    _h_time,
    _h_weekday,
    _h_weekend,
    _h_year_ago_period,
)


def _rule(name: str, pattern: str, handler: Handler) -> _Rule:
    return _Rule(name, re.compile(pattern, re.IGNORECASE), handler)


_WD_PREFIX = _WEEKDAY + r",? (?:the )?"
#: "Valentine's Day in 2012", "on May 29 in 2008": the year printed after the day is
#: its year (ECB+ 33_3ecbplus read 2013-02-14 from a 2013 DCT). Looked at, not taken:
#: the year stays an expression of its own, as MEANTIME annotates "in 2012".
_IN_YEAR = r"(?:(?=,? in (?P<in_year>" + _YEAR + r")\b)|)"
#: A zone printed after a clock time; US papers write "3:30 p.m. ET" (kept in the
#: extent and the record, not converted: the value is the clock time as printed). A
#: closing parenthesis is taken only with its opening one ("(GMT +8)"); an offset's sign
#: is "+", "-" or "−" (a range "+-−" took commas: "3:21 PM ET, 01/5/2011").
_TZ = r"(?:\s*(?P<par>\(\s*)?(?P<tz>UTC|GMT|Z|[ECMP][SD]T|(?-i:[ECMP]T)|BST|CES?T)\b(?:\s*(?P<off>[+\-−]\s*\d{1,2}(?::?\d\d)?))?(?(par)\s*\)))?"

#: A year-like number before a currency or a measure is an amount: "traded at 2019 yen",
#: "rose 2017 points", "2010 votes" (not "dollars": "in 2008 dollars" is a year's money).
_AMOUNT_UNITS = (
    r"yen|yuan|renminbi|rupees|rubles|roubles|pesos|baht|ringgit|lira|points|pts|"
    r"votes|troops|soldiers|homes|houses|stores|outlets|branches|customers|users|"
    r"subscribers|copies|cases|deaths|metres|meters|kilometres|kilometers|kg|kilograms|"
    r"acres|hectares|megawatts|MW|bpd"
)
#: A bare plural unit is a vague duration ("months of protests", "Hours before the
#: game") unless a number, a determiner or an ordinal counts it ("the first months of").
_NOT_COUNTED = (
    "".join(
        f"(?<!{w} )"
        for w in (
            "the",
            "few",
            "all",
            "many",
            "some",
            "first",
            "last",
            "next",
            "past",
            "recent",
            "coming",
            "final",
            "early",
            "later",
            "those",
            "these",
            "two",
            "three",
            "million",
            "billion",
            "thousand",
            "hundred",
            "dozen",
        )
    )
    + r"(?<![\d,.] )"
)

#: "after years of isolation", "hit by months of protests", "suffered months of
#: dizziness": a bare plural unit before "of" is a duration after these words only
#: ("the unstructured days of early retirement" is no time span).
_AFTER_WORDS = (
    "(?:"
    + "|".join(
        f"(?<={w} )"
        for w in (
            "after",
            "despite",
            "by",
            "with",
            "following",
            "amid",
            "from",
            "through",
            "for",
            "over",
            "within",
            "suffered",
            "endured",
            "spent",
            "took",
            "take",
            "takes",
            "just",
            "only",
            "mere",
        )
    )
    + ")"
)

#: Order matters only for ties (same start and end): the earlier rule wins.
RULES: tuple[_Rule, ...] = (
    _rule("iso", r"\b(?P<year>" + _YEAR + r")-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b", _h_iso),
    _rule("numeric", r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)\b(?![/.]\d)", _h_numeric),
    _rule("month_day_year", r"\b(?:" + _WD_PREFIX + r")?(?P<month>" + _MONTH_ANY + r") (?P<day>" + _DAY + r")\b,? (?P<year>" + _YEAR + r")\b", _h_full_date),
    _rule("day_month_year", r"\b(?:" + _WD_PREFIX + r")?(?:the )?(?P<day>" + _DAY + r") (?:of )?(?P<month>" + _MONTH_ANY + r"),? (?P<year>" + _YEAR + r")\b", _h_full_date),
    _rule("month_day", r"\b(?:" + _WD_PREFIX + r")?(?P<month>" + _MONTH_ANY + r") (?P<day>" + _DAY + r")\b(?![:.,]?\d)" + _IN_YEAR, _h_month_day),
    _rule("day_month", r"\b(?:" + _WD_PREFIX + r")?(?:the )?(?P<day>" + _DAY + r") (?:of )?(?P<month>" + _MONTH_ANY + r")\b" + _IN_YEAR, _h_month_day),
    _rule("month_year", r"\b(?P<t>" + _POS + r"(?P<month>" + _MONTH_ANY + r"),? (?:of )?(?P<year>" + _YEAR + r"))\b", _h_month_year),
    _rule("month_pair", r"\b(?P<t>(?P<month>" + _MONTH_FULL + r"))(?= (?:and|or|to|through|until|-|–) " + _MONTH_FULL + r",? (?P<year>" + _YEAR + r")\b)(?P<rel>)", _h_month),
    _rule("month", r"\b(?P<t>(?:(?P<rel>this|last|next|past) )?" + _POS + r"(?P<month>" + _MONTH_FULL + r")(?: of (?P<that>that|the same|the following|the next|the previous) year)?)\b(?P<year>)", _h_month),
    _rule("year", r"(?<![\d$£€#./,-])\b(?P<t>" + _POS + r"(?P<fy>(?:fiscal|financial) (?:year )?|FY ?)?(?P<year>" + _YEAR + r"))\b(?![-/.,]\d|%| percent| (?:jobs|workers|employees|people|units|cars|vehicles|aircraft|planes|shares|passengers|seats|tons|tonnes|barrels|miles|km|feet|" + _AMOUNT_UNITS + r")\b)", _h_year),
    _rule("decade", r"(?<![\w'])(?<!(?-i:[A-Z])-)(?P<t>(?:(?:early|late|mid)[- ])?(?:(?P<c>19|20)|')?(?P<d>\d)0'?s)\b", _h_decade),
    _rule("century", r"\b(?:the )?(?P<n>1\d|2[01])(?:st|nd|rd|th) century\b", _h_century),
    _rule("quarter", r"\b(?P<t>(?:the )?(?:(?:fiscal|financial|calendar) )?(?P<ord>first|second|third|fourth|final|last|latter|back|front|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?(?:quarter|half)(?:(?: of (?:the )?(?:(?:fiscal|financial) (?:year )?)?| )(?P<year>" + _YEAR + r")\b(?![-/.,]\d)| of (?P<ry>this|last|next|the) (?:(?:fiscal|financial) )?year)?)(?P<qn>)\b", _h_part_of_year),
    _rule("year_quarter", r"\b(?P<t>(?:(?:fiscal|financial) (?:year )?|FY ?)?(?P<year>" + _YEAR + r")(?:'s)? (?:(?:fiscal|financial) )?(?P<ord>first|second|third|fourth|final|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?(?:quarter|half))(?P<qn>)(?P<ry>)\b", _h_part_of_year),
    _rule("quarter_compact", r"\b(?P<t>(?-i:(?:(?P<qa>[1-4])(?P<ka>[QH])|(?P<kb>[QH])(?P<qb>[1-4]))(?:(?:[ -]?(?P<fy>FY) ?'?|[ -]?')?(?P<yy>\d\d)|[ -]?(?P<y4>(?:19|20)\d\d))))\b(?![-/.,]\d)", _h_compact_part),
    _rule("fiscal_short", r"\b(?P<t>(?-i:FY) ?'?(?P<yy>\d\d))\b(?![-/.,]\d)", _h_fiscal_short),
    _rule("quarter_q", r"\b(?P<t>Q(?P<qn>[1-4])(?: (?P<year>" + _YEAR + r"))?)(?P<ord>)(?P<ry>)\b", _h_part_of_year),
    _rule("season", r"\b(?P<t>(?:(?P<rel>this|last|next|early|late|the) )?(?P<s>spring|summer|autumn|winter|fall)(?:time)?(?: (?:of )?(?P<year>" + _YEAR + r"))?)\b", _h_season),
    _rule("holiday", r"\b(?-i:(?P<h>Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Valentine's Day|Halloween|Independence Day|Thanksgiving(?: Day)?|Black Friday|Cyber Monday|Labor Day|Memorial Day))(?:(?: of)? (?P<year>" + _YEAR + r")\b|\b" + _IN_YEAR + r")", _h_holiday),
    _rule("rel_unit", r"\b(?P<t>" + _POS + r"(?P<rel>this(?: past| coming)?|last|next|coming|current|(?:earlier|later) this|the (?:current|coming)) (?P<unit>weekend|week|month|year|quarter|decade|century|(?:fiscal|financial) year))\b", _h_rel_unit),
    _rule("period_of_rel", r"\b(?P<t>(?:the )?(?:very )?(?:end|start|beginning|middle|close|turn) of the (?P<rel>next|last|past|previous|coming|current) (?P<unit>decade|century|year|quarter|month|week))\b", _h_rel_unit),
    _rule("the_year", r"(?:(?<=\bfor )|(?<=\bin )|(?<=\bduring )|(?<=\bthroughout )|(?<=\bmonths of )|(?<=\bweeks of )|(?<=\bdays of )|(?<=\bhalf of )|(?<=\bpart of )|(?<=\bof )(?=the year,? (?:thus|so) far\b|the year to date\b))(?P<t>the (?-i:year))\b(?! (?:before|after|of|that|when|in which|to(?! date\b)|ended|ending|earlier|later|ago|\d))(?![-\w])", _h_the_year),
    _rule("period_of", r"\b(?P<t>(?:the )?(?:very )?(?:end|start|beginning|middle|close|rest|remainder) of the (?P<unit>week|month|year|quarter|(?:fiscal|financial) year))\b(?P<rel>)", _h_rel_unit),
    _rule("deictic", r"\b(?P<t>(?:(?:earlier|later) )?(?P<d>today|tonight|yesterday|tomorrow|the day (?:before yesterday|after tomorrow))(?: (?P<pod>morning|afternoon|evening|night))?|(?P<d2>this|last) (?P<pod2>morning|afternoon|evening|night))\b", _h_deictic),
    _rule("weekday", r"\b(?P<t>(?:(?P<rel>last|next|this(?: past| coming)?|coming|past) )?(?P<wd>" + _WEEKDAY + r")(?P<pl>s)?(?: (?P<pod>morning|afternoon|evening|night))?)\b", _h_weekday),
    _rule("same_period", r"\b(?P<t>the same (?:month|period|quarter|week|day|time)(?: of)? (?:a year (?:ago|earlier|before)|last year|(?:the )?(?:previous|prior|last) year|the year before))\b", _h_same_period),
    _rule("ago", r"\b(?P<t>" + _NUM + r" " + _UNIT + r" (?P<dir>ago|from now|hence|later|earlier))\b(?! than)", _h_ago),
    _rule("the_quarter", r"\b(?P<t>the (?-i:quarter))\b(?! of\b)", _h_the_quarter),
    _rule("anaphoric", r"\b(?P<t>(?:the (?P<rel>following|previous|prior|same|entire|whole|full)|that) (?P<unit>day|week|month|quarter|year)|the (?P<unit2>day|week|month|year) (?P<rel2>before|after|earlier|later|previous|prior)|the (?P<rel3>next) (?P<unit3>day))\b", _h_anaphoric),
    _rule("weekend", r"\b(?P<t>the weekend)\b", _h_weekend),
    _rule("set_per", r"\b(?:times|once|twice|(?<![\d,.])\d[\d,.]*%?|(?:m|b|tr)illion|percent|dollars|euros|pounds) (?P<t>(?:a|an|per|each) (?P<unit>year|month|week|day|hour))\b", _h_set),
    _rule("set_every", r"\b(?P<t>(?:every|each)(?: other)? (?P<unit>year|month|week|day|hour)|(?-i:annually|annual|yearly|daily|weekly|monthly|quarterly|hourly))\b(?! percentage (?:rate|yield))", _h_set),
    _rule("duration", r"\b(?P<t>(?:(?:almost|nearly|about|around|approximately|roughly|more than|less than|at least|up to|just over|just under) )?(?:the (?:past|last|next|coming|first|previous|following|final|initial|remaining) )?" + _NUM + r"[ -]" + _UNIT + r"(?:-long)?)\b(?!-old|-olds)", _h_duration),
    _rule("duration_the", r"\b(?P<t>the (?:past|last|next|coming) (?P<unit>decade|century|year|month|week|fortnight))\b(?P<num>)(?P<half>)", _h_duration),
    _rule("vague_duration", r"\b(?P<t>(?:(?:the )?(?:recent|past|coming|next|last|(?:past|last|next|coming) (?:few|several)|several|many|a few) (?P<unit>years|months|weeks|decades|days|hours)))\b", _h_vague_duration),
    _rule("vague_duration_prep", r"\b(?:for|in|over|after|within) (?P<t>(?P<unit>years|months|decades|weeks))\b(?! (?:ago|of)\b)", _h_vague_duration),
    _rule("vague_duration_of", r"" + _AFTER_WORDS + r"\b(?P<t>(?P<unit>decades|years|months|weeks|days|hours|minutes))(?= of (?!the\b|this\b|last\b|next\b|" + _MONTH_ANY + r"|" + _YEAR + r"))", _h_vague_duration),
    _rule("vague_duration_rel", r"" + _NOT_COUNTED + r"\b(?P<t>(?P<unit>hours|minutes|days|weeks|months|years))(?= (?:before|after|later|earlier)\b)", _h_vague_duration),
    _rule("duration_long", r"\b(?P<t>(?:day|week|month|year)-?long)\b", _h_long),
    _rule("vague_duration_decades", r"\b(?P<t>(?P<unit>decades))\b(?! (?:ago|of|old)\b)", _h_vague_duration),
    _rule("vague_duration_long", r"\b(?P<t>(?P<unit>years|months|weeks|decades)-long)\b", _h_vague_duration),
    _rule("vague_duration_over", r"\b(?P<t>over the (?P<unit>years|decades|months))\b", _h_vague_duration),
    _rule("months_of_year", r"\b(?P<t>the (?P<ord>first|last|final) (?P<n>three|six|3|6) months of (?:(?P<ry>this|last|next|the) (?P<fy2>(?:fiscal|financial) )?year|(?P<fy>(?:fiscal|financial) (?:year )?)?(?P<year>" + _YEAR + r")))\b(?![-/.,]\d)", _h_months_of_year),
    _rule("week_of", r"\b(?P<t>the week (?:of|beginning|starting|commencing) (?:" + _WD_PREFIX + r")?(?:(?P<month>" + _MONTH_ANY + r") (?P<day>" + _DAY + r")(?:,? (?P<year>" + _YEAR + r"))?|(?:the )?(?P<day2>" + _DAY + r") (?:of )?(?P<month2>" + _MONTH_ANY + r")(?:,? (?P<year2>" + _YEAR + r"))?))\b", _h_week_of),
    _rule("year_ago_period", r"\b(?P<t>the (?:year-ago|year-earlier|prior-year|year-before|previous-year) (?P<unit>quarter|period|half|month))\b", _h_year_ago_period),
    _rule("the_day", r"(?:(?<=\bon )|(?<=\bin )|(?<=\bduring )|(?<=\bfor )|(?<=\bthroughout )|(?<=\bthe course of ))(?P<t>the (?P<pod>day|morning|afternoon|evening|night))\b(?! (?:after|before|of|when|that|which|in|on|at|he|she|they|it|we|I|you|the|a|an|his|her|their|its|[a-z]+ing|[a-z]+ed)\b)(?!-)", _h_the_day),
    _rule("duration_ahead", r"\b(?P<t>the (?P<unit>decade|century|year|month|week) ahead)\b(?P<num>)(?P<half>)", _h_duration),
    _rule("vague_duration_ahead", r"\b(?P<t>the (?:coming )?(?P<unit>years|months|weeks|decades) ahead)\b", _h_vague_duration),
    _rule("quarters", r"\b(?P<t>(?:the (?:past|last|next|previous|coming|following|first) (?P<num>two|three|four|five|six|seven|eight|[2-9]|1\d)(?: straight| consecutive)?|(?P<num2>two|three|four|five|six|seven|eight|[2-9]|1\d) (?:straight|consecutive)) quarters)\b(?! of\b)", _h_quarters),
    _rule("ref", r"\b(?P<t>now|currently|presently|nowadays|these days|(?:more )?recently|the (?:near )?future|(?:very )?soon|the time being|the past|the present)\b(?!-)(?<!\bas soon)(?! as\b)|(?<=\bat )(?P<t2>present|the moment)\b", _h_ref),
    _rule("later_date", r"\b(?P<t>an? (?:later|future|unspecified|undisclosed) (?:date|time))\b(?!-)", _h_later_date),
    _rule("time", r"(?<![\d:.])(?P<t>(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b)|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])|(?P<noon>\bnoon|\bmidnight))" + _TZ + r"(?:,?\s+(?:on\s+)?(?P<day>today|tonight|yesterday|tomorrow|" + _WEEKDAY + r"))?)(?:(?=,?\s+(?:on\s+)?(?P<md_m>" + _MONTH_ANY + r") (?P<md_d>" + _DAY + r")\b(?:,? (?P<md_y>" + _YEAR + r")\b)?(?![:.,]?\d))|)", _h_time),
)  # fmt: skip
