"""Duplicates and text reuse: exact and near copies (MinHash/LSH) and shared passages."""
