"""Person names: the parts of a name, and when two written names can be one person.

Pure string rules, no model. A name is split into its words without the titles
before it ("Mr.", "Judge", "Sgt.", "Police Commissioner") and the suffixes after
it ("Jr", "III"). Two full names are one person's when their surnames are the
same (or one letter apart, "Rait"/"Raite") and their first names agree: equal,
an initial, a common short form ("Bill"/"William", "Ray"/"Raymond") or one
transliteration of the other ("Giannis"/"Yiannis", "Karolos"/"Carolos"); middle
names may be dropped or initialled ("Brian G. Nichols" = "Brian Nichols").

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

#: Words before a name that are a title or a role, not part of the name (lower case, no dot).
TITLES = frozenset(
    """
    mr mrs ms miss mx dr doctor prof professor sir dame lord lady madam
    judge justice sgt sergeant lt lieutenant capt captain cmdr commander col colonel
    maj major gen general adm admiral cpl corporal pvt private officer trooper deputy
    detective det inspector insp constable sheriff marshal agent chief commissioner
    superintendent supt president vice premier minister prime chancellor secretary
    senator sen rep representative congressman congresswoman councilman councilwoman
    councillor gov governor mayor ambassador king queen prince princess
    rev reverend father fr sister sr brother msgr monsignor bishop archbishop cardinal rabbi imam
    coach prosecutor attorney lawyer counsel spokesman spokeswoman spokesperson
    actor actress director producer singer author novelist comedian host anchor
    former late acting interim assistant associate senior deputy elect
    qb quarterback coach owner manager striker forward guard pitcher receiver linebacker
    rookie star ceo chairman chairwoman chairperson founder executive chef
    us u.s federal state police fire district county city
    """.split()
)
#: Words after a surname that are not part of it.
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "md", "phd", "esq"})
#: Common English short forms of first names (both directions are looked up).
NICKNAMES: dict[str, frozenset[str]] = {
    name: frozenset(forms)
    for name, forms in {
        "william": ("bill", "billy", "will", "willie", "liam"),
        "robert": ("bob", "bobby", "rob", "robbie", "bert"),
        "richard": ("rick", "ricky", "dick", "rich"),
        "james": ("jim", "jimmy", "jamie"),
        "john": ("jack", "johnny"),
        "joseph": ("joe", "joey"),
        "michael": ("mike", "mickey"),
        "thomas": ("tom", "tommy"),
        "anthony": ("tony",),
        "david": ("dave", "davey"),
        "daniel": ("dan", "danny"),
        "raymond": ("ray",),
        "edward": ("ed", "eddie", "ted", "ned"),
        "edwin": ("ed",),
        "christopher": ("chris",),
        "stephen": ("steve",),
        "steven": ("steve",),
        "lawrence": ("larry",),
        "benjamin": ("ben", "benny"),
        "samuel": ("sam", "sammy"),
        "alexander": ("alex", "sasha"),
        "andrew": ("andy", "drew"),
        "nicholas": ("nick", "nicky"),
        "patrick": ("pat",),
        "matthew": ("matt",),
        "gregory": ("greg",),
        "jeffrey": ("jeff",),
        "kenneth": ("ken", "kenny"),
        "ronald": ("ron", "ronnie"),
        "donald": ("don", "donnie"),
        "elizabeth": ("liz", "beth", "betsy", "betty"),
        "katherine": ("kate", "kathy", "katie"),
        "catherine": ("kate", "cathy"),
        "margaret": ("maggie", "peggy", "meg"),
        "russell": ("russ",),
        "charles": ("charlie", "chuck"),
        "peter": ("pete",),
        "philip": ("phil",),
        "timothy": ("tim",),
        "frederick": ("fred",),
        "gerald": ("jerry",),
        "jennifer": ("jen", "jenny"),
        "susan": ("sue",),
        "victoria": ("vicky",),
        "theodore": ("ted", "theo"),
        "abraham": ("abe",),
    }.items()
}
_SHORT_TO_LONG: dict[str, set[str]] = {}
for _long, _shorts in NICKNAMES.items():
    for _short in _shorts:
        _SHORT_TO_LONG.setdefault(_short, set()).add(_long)

_WORD = re.compile(r"[^\s]+")


@lru_cache(maxsize=8192)
def name_words(text: str) -> tuple[str, ...]:
    """The words of a person's name without leading titles and trailing suffixes.

    Args:
        text (str): the name as written, e.g. ``Superior Court Judge James Bodiford``.

    Returns:
        tuple[str, ...]: e.g. ``("James", "Bodiford")``; ``("Arcade", "Joseph",
        "Comeaux")`` for ``Arcade Joseph Comeaux Jr.``; ``("David", "Wilhelm")`` for
        ``U.S. Customs Agent David Wilhelm`` (the words after the last title).
    """
    words = [w.strip(",") for w in _WORD.findall(text.replace("’", "'"))]
    words = [re.sub(r"'s?$", "", w) for w in words if w]
    while len(words) > 1 and (_bare(words[0]) in TITLES or words[0] in ("Superior", "Court")):
        words.pop(0)
    while len(words) > 1 and _bare(words[-1]) in SUFFIXES:
        words.pop()
    # a role inside the span: "Oregon State Police Lt. Gregg Hastings" is Gregg Hastings
    inner = [i for i, w in enumerate(words[:-1]) if _bare(w) in TITLES]
    if inner:
        words = words[inner[-1] + 1 :]
    return tuple(w for w in words if w)


def _bare(word: str) -> str:
    return word.lower().rstrip(".").replace(".", "")


def fold(word: str) -> str:
    """A word for comparison: lower case, without dots, hyphens and spaces."""
    return re.sub(r"[.\-\s'’]", "", word.lower())


def is_initial(word: str) -> bool:
    """``G.`` or ``G``: a one-letter initial."""
    return len(word.rstrip(".")) == 1 and word[0].isalpha()


def same_first_name(a: str, b: str, spelled: bool = True) -> bool:
    """Two first names that can be one person's: equal, an initial, a short form,
    or one transliteration of the other (similar spelling, five letters or more).

    Args:
        a (str): a first name as written.
        b (str): another.
        spelled (bool): whether a similar spelling counts (it does only inside one
            article or story: "Alexis" and "Alexia" are two people elsewhere).

    Returns:
        bool: e.g. ``True`` for Bill/William, Giannis/Yiannis, J./James;
        ``False`` for Mark/Miles, Chris/Paul.
    """
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if is_initial(a) or is_initial(b):
        return fa[:1] == fb[:1]
    if fb in NICKNAMES.get(fa, ()) or fa in NICKNAMES.get(fb, ()):
        return True
    if _SHORT_TO_LONG.get(fa, set()) & _SHORT_TO_LONG.get(fb, set()):
        return True
    return spelled and min(len(fa), len(fb)) >= 5 and _similar(fa, fb, 0.8)


def same_surname(a: str, b: str, spelled: bool = True) -> bool:
    """Two surnames of one person: equal once folded ("Del Giudice"/"DelGiudice"),
    or, when ``spelled``, one letter added to a name of four letters or more
    ("Rait"/"Raite")."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if not spelled:
        return False
    short, long = sorted((fa, fb), key=len)
    return len(short) >= 4 and len(long) == len(short) + 1 and long.startswith(short)


def _similar(a: str, b: str, ratio: float) -> bool:
    return SequenceMatcher(None, a, b).ratio() >= ratio


def same_person(a: tuple[str, ...], b: tuple[str, ...], spelled: bool = True) -> bool:
    """Two full names (words from :func:`name_words`, two or more each) of one person.

    The surnames agree, the first names agree, and the middle words of the shorter
    are initials or words of the longer ("Brian G. Nichols" = "Brian Nichols";
    "Arcade Joseph Comeaux" = "Arcade Joseph Comeaux"). A surname printed as two
    words counts once ("Vincent Del Giudice" = "Vincent DelGiudice").

    Args:
        a (tuple[str, ...]): one name's words.
        b (tuple[str, ...]): the other's.
        spelled (bool): whether similar spellings of a name count
            (:func:`same_first_name`).

    Returns:
        bool: whether they can name one person.
    """
    a, b = _join_particles(a), _join_particles(b)
    if len(a) < 2 or len(b) < 2:
        return False
    if not same_surname(a[-1], b[-1], spelled) or not same_first_name(a[0], b[0], spelled):
        return False
    short, long = sorted((a[1:-1], b[1:-1]), key=len)
    folded = [fold(w) for w in long]
    return all(
        fold(w) in folded or (is_initial(w) and any(f[:1] == fold(w) for f in folded))
        for w in short
    )


_PARTICLES = frozenset(
    {"de", "del", "della", "van", "von", "der", "la", "le", "di", "da", "al", "el"}
)


def surname(words: tuple[str, ...]) -> str:
    """A name's surname, with its particle ("Del Giudice" -> ``DelGiudice``)."""
    return _join_particles(words)[-1] if words else ""


def given_name(words: tuple[str, ...]) -> str:
    """The first name a full name goes by: its first word, or the first after leading
    initials ("W. Mark Felt" -> ``Mark``, "J. Edgar Hoover" -> ``Edgar``); empty for a
    name of initials and a surname only."""
    for word in words[:-1]:
        if not is_initial(word):
            return word
    return ""


def _join_particles(words: tuple[str, ...]) -> tuple[str, ...]:
    """``("Vincent", "Del", "Giudice")`` -> ``("Vincent", "DelGiudice")``."""
    if len(words) >= 3 and words[-2].lower() in _PARTICLES:
        return (*words[:-2], words[-2] + words[-1])
    return words


#: AP-style abbreviations of the US states ("Fulton County, Ga." -> Georgia), the
#: whole table, as news copy prints them after a city.
STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California",
    "Colo": "Colorado", "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida",
    "Ga": "Georgia", "Ill": "Illinois", "Ind": "Indiana", "Kan": "Kansas",
    "Ky": "Kentucky", "La": "Louisiana", "Md": "Maryland", "Mass": "Massachusetts",
    "Mich": "Michigan", "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri",
    "Mont": "Montana", "Neb": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire",
    "N.J": "New Jersey", "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina",
    "N.D": "North Dakota", "Okla": "Oklahoma", "Ore": "Oregon", "Pa": "Pennsylvania",
    "R.I": "Rhode Island", "S.C": "South Carolina", "S.D": "South Dakota",
    "Tenn": "Tennessee", "Vt": "Vermont", "Va": "Virginia", "Wash": "Washington",
    "W.Va": "West Virginia", "Wis": "Wisconsin", "Wyo": "Wyoming",
}  # fmt: skip


def state_name(text: str) -> str | None:
    """The state an AP abbreviation names (``Ga.`` -> ``Georgia``), else ``None``."""
    return STATE_ABBREVIATIONS.get(text.strip().rstrip("."))


#: Street designators as news copy abbreviates them at the end of a street's name
#: ("Snyder Ave" = "Snyder Avenue"); "St" only after a name ("Main St"), never first.
STREET_ABBREVIATIONS: dict[str, str] = {
    "ave": "avenue", "av": "avenue", "st": "street", "rd": "road", "blvd": "boulevard",
    "sq": "square", "hwy": "highway", "pkwy": "parkway", "ln": "lane",
}  # fmt: skip
#: The words that end a street's or a square's name.
STREET_WORDS = frozenset({*STREET_ABBREVIATIONS.values(), "plaza", "place"})


def street_name(text: str) -> str:
    """A street's name with its designator written out ("Snyder Ave." -> "Snyder
    Avenue"); any other name unchanged."""
    words = text.split()
    last = words[-1].rstrip(".").lower() if len(words) > 1 else ""
    if last in STREET_ABBREVIATIONS and words[-2][:1].isupper():
        return " ".join([*words[:-1], STREET_ABBREVIATIONS[last].title()])
    return text


def spelling_key(text: str) -> str:
    """A name as spelled, without accents, case, hyphens and extra spaces
    ("Place Vendôme" = "Place Vendome", "Champs-Elysees" = "Champs Elysees")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").casefold().split())


_GENERATION = re.compile(r"\s*,?\s+(Jr|Sr|II|III|IV)\.?$")


def generation(name: str) -> str:
    """A name's generational suffix ("Jr", "Sr", "III"), or ``""``.

    Args:
        name (str): e.g. ``Mark Felt Jr.``.

    Returns:
        str: e.g. ``Jr``.
    """
    found = _GENERATION.search(name)
    return found.group(1) if found else ""
