"""``bench crosscheck`` scores claim-stage variants: a stage run with a ``PropositionConfig`` option."""

from __future__ import annotations

from bench.crosscheck_set import _AFTER_CLAIMS, CLAIM_STAGES, VARIANTS, _variant_config


def test_the_learned_membership_variant_runs_claims_v3_with_the_model() -> None:
    name = "claims.align.v4 + learned membership"
    assert name in CLAIM_STAGES and name in VARIANTS
    config = _variant_config(name)
    assert config.corpus_stages == ("claims.align.v4", *_AFTER_CLAIMS)
    assert config.lineage.propositions.membership == "learned"


def test_a_registered_stage_runs_with_the_default_options() -> None:
    config = _variant_config("claims.align.v4")
    assert config.corpus_stages == ("claims.align.v4", *_AFTER_CLAIMS)
    assert config.lineage.propositions.membership == "rules"
    assert CLAIM_STAGES[0] == "claims.align.v4"  # the default is scored first
