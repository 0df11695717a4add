"""``bench crosscheck`` scores claim-stage variants: a stage run with a ``PropositionConfig`` option."""

from __future__ import annotations

from bench.crosscheck_set import _AFTER_CLAIMS, CLAIM_STAGES, VARIANTS, _variant_config


def test_the_rules_membership_variant_runs_claims_v5_with_the_rules() -> None:
    name = "claims.align.v7 + rules membership"
    assert name in CLAIM_STAGES and name in VARIANTS
    config = _variant_config(name)
    assert config.corpus_stages == ("claims.align.v7", *_AFTER_CLAIMS)
    assert config.lineage.propositions.membership == "rules"


def test_a_registered_stage_runs_with_the_default_options() -> None:
    config = _variant_config("claims.align.v7")
    assert config.corpus_stages == ("claims.align.v7", *_AFTER_CLAIMS)
    assert config.lineage.propositions.membership == "learned"
    assert CLAIM_STAGES[0] == "claims.align.v7"  # the default is scored first
