"""Lineage: claims, origins, provenance, verdicts, drift, disagreements and the timeline."""
