"""A table-driven equivalent of spaCy's ``attribute_ruler``: same output, ~20x faster.

The English pipelines' attribute ruler maps each fine tag to a coarse POS and
morphology, and patches ~120 exceptions (``"her"`` as ``PRP$``, ``"'d"`` as
``would``). spaCy runs it as a ``Matcher`` over every token and then applies
each match in Python -- one ``Span`` and one ``set_token_attrs`` call per
token, since every token matches its tag's rule: 21.2 of the 176 s spaCy spends
on the 581 benchmark pages, a tenth of the parse.

Its rules are one- and two-token patterns testing token attributes for
equality, set membership or a regular expression. Each such rule is a boolean
mask over the document's attribute columns (``Doc.to_array``), so this
component evaluates every rule with numpy, applies the masks in rule order (a
later rule overwrites an earlier one, as spaCy's sort by rule index does) and
writes the results back with one ``Doc.from_array``. Rules are read from the
loaded ``attribute_ruler`` and their values normalised by spaCy's own
``normalize_token_attrs``, so the tables are the model's, not a copy. A rule
set using anything else (operators, extension attributes, fuzzy matching)
returns ``None`` from :func:`compile_rules` and the pipeline keeps spaCy's
component. ``tests/models/test_attribute_rules.py`` checks the two agree on
every token attribute.

The component keeps spaCy's ruler as ``stock`` and serialises through it, so a
pipeline saved with ``nlp.to_disk`` stores the model's own patterns and loads
back (in any process where storytrace is installed: the factory is registered
as a ``spacy_factories`` entry point) with its rules compiled again.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray
from spacy.language import Language

from storytrace.models.wrapped import WrapsStock

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: Name of the spaCy factory registered by :func:`install`.
FACTORY = "storytrace_attribute_rules"

#: Token attributes a tabled rule may set. spaCy's ruler writes others (LOWER,
#: SHAPE, flags) onto the word's vocabulary entry too, for every later
#: document; ``Doc.from_array`` sets only the token, so such rule sets stay
#: with spaCy's component.
WRITABLE = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "NORM")

#: Set operators a token test may use (spaCy's ``IN`` / ``NOT_IN``).
_SET_OPERATORS = frozenset({"IN", "NOT_IN"})

Columns = NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class TokenTest:
    """One attribute test of one pattern token.

    Attributes:
        attr (int): spaCy attribute id the test reads (``TAG``, ``LOWER`` ...).
        kind (str): ``"eq"``, ``"in"``, ``"not_in"`` or ``"regex"``.
        values (tuple[int, ...]): string ids (or 0/1 for flags) for the first three.
        regex (re.Pattern[str] | None): the compiled expression for ``"regex"``.
    """

    attr: int
    kind: str
    values: tuple[int, ...] = ()
    regex: re.Pattern[str] | None = None


#: A rule's alternatives: each a sequence of tokens, each token a conjunction of tests.
Patterns = tuple[tuple[tuple[TokenTest, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """One ruler rule: alternative token sequences, the target index, the values set.

    Attributes:
        patterns (tuple[tuple[tuple[TokenTest, ...], ...], ...]): alternatives,
            each a sequence of tokens, each token a conjunction of tests.
        index (int): which token of a match gets the values (may be negative).
        attrs (tuple[tuple[int, int], ...]): (attribute id, value) pairs, as
            spaCy's ``normalize_token_attrs`` gives them.
    """

    patterns: Patterns
    index: int
    attrs: tuple[tuple[int, int], ...]


def _token_test(name: str, value: Any, vocab: Vocab) -> TokenTest | None:
    """The test for one ``{"ATTR": value}`` entry, or ``None`` when unsupported."""
    from spacy.attrs import IDS
    from spacy.strings import get_string_id

    key = "ORTH" if name.upper() == "TEXT" else name.upper()
    attr = IDS.get(key)
    if attr is None or key in {"_", "OP", "SENT_START", "IS_SENT_START", "MORPH", "ENT_IOB"}:
        return None
    if isinstance(value, bool | int):
        return TokenTest(attr, "eq", (int(value),))
    if isinstance(value, str):
        return TokenTest(attr, "eq", (vocab.strings.add(value),))
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((operator, operand),) = value.items()
    if operator in _SET_OPERATORS and isinstance(operand, list):
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in operand):
            return None
        ids = tuple(get_string_id(v) for v in operand)
        return TokenTest(attr, operator.lower(), ids)
    if operator == "REGEX" and isinstance(operand, str) and attr >= 64:  # not a flag
        return TokenTest(attr, "regex", regex=re.compile(operand))
    return None


def _patterns(
    patterns: Sequence[Sequence[dict[str, Any]]], index: int, vocab: Vocab
) -> Patterns | None:
    """A rule's alternatives as tests, or ``None`` when one cannot be tabled."""
    compiled = []
    for pattern in patterns:
        tokens = []
        for spec in pattern:
            tests = [_token_test(name, value, vocab) for name, value in spec.items()]
            if not tests or any(t is None for t in tests):
                return None  # ``{}`` matches any token: spaCy's Matcher handles it
            tokens.append(tuple(t for t in tests if t is not None))
        if not tokens or not -len(tokens) <= index < len(tokens):
            return None
        compiled.append(tuple(tokens))
    return tuple(compiled)


def compile_rules(ruler: Any, vocab: Vocab) -> tuple[Rule, ...] | None:
    """The rules of a spaCy ``AttributeRuler``, or ``None`` if one cannot be tabled.

    Args:
        ruler (AttributeRuler): the loaded component; its ``patterns`` are read.
        vocab (Vocab): the pipeline's vocabulary (string ids, morphology).

    Returns:
        tuple[Rule, ...] | None: the rules in the ruler's order, or ``None`` when a
        rule uses an operator, an extension attribute, fuzzy matching, a
        morphology test or an any-token ``{}``, or sets nothing or anything
        but :data:`WRITABLE` -- the caller then keeps spaCy's component.
    """
    from spacy.attrs import IDS
    from spacy.tokens._retokenize import normalize_token_attrs

    writable = {IDS[name] for name in WRITABLE}
    rules = []
    for entry in ruler.patterns:
        index = int(entry.get("index", 0))
        patterns = _patterns(entry["patterns"], index, vocab)
        attrs = normalize_token_attrs(vocab, dict(entry["attrs"]))
        if patterns is None or not attrs or not set(attrs) <= writable:
            return None
        rules.append(Rule(patterns, index, tuple(sorted(attrs.items()))))
    return tuple(rules)


class TableAttributeRuler(WrapsStock):
    """The component: evaluates compiled rules as masks and writes them in bulk.

    Args:
        vocab (Vocab): the pipeline's vocabulary.
        rules (tuple[Rule, ...]): from :func:`compile_rules`.
        stock (AttributeRuler | None): spaCy's ruler the rules come from; it is
            what gets saved and loaded, and it runs instead whenever its
            patterns cannot be compiled.
    """

    def __init__(self, vocab: Vocab, rules: tuple[Rule, ...] = (), stock: Any = None) -> None:
        self.vocab = vocab
        self.stock = stock
        self.compiled = True
        self.set_rules(rules)

    def use(self, stock: Any) -> bool:
        """Take the rules of spaCy's ruler ``stock``; ``False`` if they cannot be tabled.

        Either way ``stock`` is kept, and runs in this component's place when
        its rules cannot be compiled.
        """
        self.stock = stock
        rules = compile_rules(stock, self.vocab)
        self.compiled = rules is not None
        self.set_rules(rules or ())
        return self.compiled

    def set_rules(self, rules: tuple[Rule, ...]) -> None:
        """Use ``rules``; work out which columns they read and write."""
        self.rules = rules
        read = {t.attr for r in rules for p in r.patterns for tok in p for t in tok}
        self.read: list[int] = sorted(read)
        self.write: list[int] = sorted({attr for r in rules for attr, _ in r.attrs})
        #: per expression, each string id searched so far -> whether it matched
        self._regex_found: dict[str, dict[int, bool]] = {}
        #: per rule, the (attribute, value) pairs every match needs -- the
        #: equality tests of a one-pattern rule -- to skip rules cheaply
        self.gates = [_gate(rule) for rule in rules]

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, MORPH, LEMMA (and TAG, DEP where a rule says) on ``doc``."""
        if not self.compiled:
            return cast("Doc", self.stock(doc))
        if len(doc) == 0 or not self.rules:
            return doc
        columns = _columns(doc, self.read)
        out = _columns(doc, self.write)
        tests = _DocTests(self, columns)
        write_at = {attr: i for i, attr in enumerate(self.write)}
        for rule, gate in zip(self.rules, self.gates, strict=True):
            if not all(value in tests.present[attr] for attr, value in gate):
                continue
            targets = tests.targets(rule)
            if targets is not None:
                for attr, value in rule.attrs:
                    out[targets, write_at[attr]] = value
        doc.from_array(list[int | str](self.write), cast(Any, out))
        return doc

    def regex_matches(self, test: TokenTest, values: set[int]) -> list[int]:
        """Those of ``values`` (string ids) whose string the test's expression finds.

        Each string is searched once per process: hits and misses are kept.
        """
        assert test.regex is not None
        found = self._regex_found.setdefault(test.regex.pattern, {})
        for value in values - found.keys():
            found[value] = test.regex.search(self.vocab.strings[value]) is not None
        return sorted(value for value in values if found[value])


def _columns(doc: Doc, attrs: list[int]) -> Columns:
    """``doc``'s values of ``attrs``, one row per token (always two-dimensional)."""
    array = doc.to_array(list[int | str](attrs))
    return np.asarray(array, dtype=np.uint64).reshape(len(doc), len(attrs))


def _gate(rule: Rule) -> tuple[tuple[int, int], ...]:
    """The (attribute, value) pairs of a one-pattern rule's equality tests."""
    if len(rule.patterns) != 1:
        return ()
    return tuple(
        (test.attr, test.values[0]) for tests in rule.patterns[0] for test in tests
        if test.kind == "eq"
    )  # fmt: skip


class _DocTests:
    """The tests of one document: each test's mask computed once, absent values skipped.

    Most rules test a word (``LOWER == "her"``) or a tag the document does not
    contain; knowing each column's distinct values lets those rules be skipped
    without touching the column.
    """

    def __init__(self, ruler: TableAttributeRuler, columns: Columns) -> None:
        self.ruler = ruler
        self.columns = {attr: columns[:, i] for i, attr in enumerate(ruler.read)}
        self.present = {a: set(np.unique(c).tolist()) for a, c in self.columns.items()}
        self.masks: dict[int, NDArray[np.bool_] | None] = {}

    def targets(self, rule: Rule) -> NDArray[np.bool_] | None:
        """Tokens ``rule`` sets (union over its patterns of each match's target), or ``None``."""
        hit: NDArray[np.bool_] | None = None
        n = len(next(iter(self.columns.values())))
        for pattern in rule.patterns:
            span = len(pattern)
            starts = self._starts(pattern, n - span + 1) if span <= n else None
            if starts is None:
                continue
            if hit is None:
                hit = np.zeros(n, dtype=bool)
            shift = rule.index % span
            hit[shift : shift + len(starts)] |= starts
        return hit

    def _starts(
        self, pattern: tuple[tuple[TokenTest, ...], ...], count: int
    ) -> NDArray[np.bool_] | None:
        starts: NDArray[np.bool_] | None = None
        for offset, tests in enumerate(pattern):
            for test in tests:
                mask = self.mask(test)
                if mask is None:
                    return None
                window = mask[offset : offset + count]
                starts = window.copy() if starts is None else starts & window
        return starts

    def mask(self, test: TokenTest) -> NDArray[np.bool_] | None:
        """Where ``test`` holds, or ``None`` where it holds nowhere; cached per test."""
        key = id(test)
        if key not in self.masks:
            self.masks[key] = self._mask(test)
        return self.masks[key]

    def _mask(self, test: TokenTest) -> NDArray[np.bool_] | None:
        column, present = self.columns[test.attr], self.present[test.attr]
        if test.kind == "not_in":
            return ~np.isin(column, np.array(test.values, dtype=np.uint64))
        if test.kind == "regex":
            wanted = self.ruler.regex_matches(test, present)
        else:
            wanted = [v for v in test.values if v in present]
        if not wanted:
            return None
        if len(wanted) == 1:
            equal: NDArray[np.bool_] = column == np.uint64(wanted[0])
            return equal
        return np.isin(column, np.array(wanted, dtype=np.uint64))


def install(nlp: Language) -> bool:
    """Swap ``nlp``'s ``attribute_ruler`` for the table-driven equivalent, in place.

    Args:
        nlp (Language): a loaded pipeline.

    Returns:
        bool: ``True`` when swapped; ``False`` when there is no attribute ruler or
        its rules cannot be compiled (spaCy's component is kept).
    """
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    from spacy.pipeline import AttributeRuler

    stock = nlp.get_pipe("attribute_ruler")
    if not isinstance(stock, AttributeRuler):
        return False
    rules = compile_rules(stock, nlp.vocab)
    if rules is None:
        return False
    component = cast(TableAttributeRuler, nlp.replace_pipe("attribute_ruler", FACTORY))
    component.stock = stock
    component.set_rules(rules)
    return True


@Language.factory(FACTORY, assigns=["token.tag", "token.pos", "token.morph", "token.lemma"])
def make_attribute_rules(nlp: Language, name: str) -> TableAttributeRuler:
    """spaCy factory: the component around a new, empty spaCy ruler.

    :func:`install` hands it the loaded model's ruler; ``from_disk`` and
    ``from_bytes`` fill the new one with saved patterns.
    """
    return TableAttributeRuler(nlp.vocab, stock=nlp.create_pipe("attribute_ruler", name=name))
