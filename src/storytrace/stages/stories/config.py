"""Options of story clustering."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PairModel:
    """Logistic pair model: P(same event) = sigmoid(bias + weights . features).

    Attributes:
        weights (tuple[float, ...]): one weight per name of :data:`FEATURES`.
        bias (float): intercept.
        threshold (float): groups merge while their mean pair probability is at
            least this.
    """

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5


#: Fitted on all ECB+ train topics by ``python -m bench stories`` (threshold chosen by
#: 5-fold cross-validation over topics, then ``fit_on`` all train topics; the bench
#: prints whether its fit equals this one); weights follow ``pairs.FEATURES``.
PAIR_MODEL = PairModel(
    weights=(3.5493, 3.6082, 3.8074, 3.1485, 3.4498, -1.0042, 2.1777, 4.1453, -0.8612, 2.349),
    bias=-2.037,
    threshold=0.55,
)


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """Named thresholds of story clustering (fitted on ECB+ ``train``, see the bench).

    ``link_threshold``, ``cohesion_ratio`` and ``number_ratio`` drive the first pass,
    which groups articles of one kind of event (a topic); ``pair_model`` splits each
    group into stories (see :mod:`~storytrace.stages.stories.pairs`).

    Attributes:
        entity_weight (float): share of the similarity given to the names part (the
            rest goes to the words part).
        lead_weight (float): share of the similarity given to the content words of
            the first two body lines (headline or lead sentence), which name the event.
        link_threshold (float): lowest average-link cosine at which two clusters merge.
        cohesion_ratio (float): a merge also needs linkage >= this times the mean
            internal similarity of the two clusters (singletons excluded).
        cohesion_cap (float): internal similarity counted at most this much in the
            ratio test (copies of one wire story would otherwise look too tight).
        min_df (int): terms seen in fewer documents get no weight (a term in one
            article links nothing and only dilutes its vector).
        block_terms (int): highest-weighted terms per article used as blocking keys.
        max_posting (int): an article is compared with at most this many articles
            per blocking key (the latest indexed under it).
        max_gap_days (int): clusters whose known publication dates lie further apart
            never merge.
        max_printed_lag_years (int): undated articles whose newest printed year is
            more than this many years before a dated story's earliest publication
            year never join it (an old article on an earlier event of one kind).
        number_ratio (float): a merge also needs the mean cosine of the members'
            numbers (names-part numbers but years: scores, ages, tolls, amounts)
            across the two clusters >= this times their mean internal one (capped
            by ``cohesion_cap``); 0 switches the test off.
        max_recluster (int): an ``add`` dissolves and re-clusters the stories it
            touches; larger stories are kept whole (bounds the cost of one add).
        evidence_terms (int): shared terms and names listed as a story's evidence.
        pair_model (PairModel): the second pass's pair model and merge threshold.
    """

    entity_weight: float = 0.6
    lead_weight: float = 0.3
    link_threshold: float = 0.12
    cohesion_ratio: float = 0.0
    cohesion_cap: float = 0.7
    min_df: int = 2
    block_terms: int = 20
    max_posting: int = 50
    max_gap_days: int = 30
    max_recluster: int = 200
    evidence_terms: int = 8
    max_printed_lag_years: int = 3
    number_ratio: float = 0.0
    pair_model: PairModel = PAIR_MODEL
