"""Metadata: input fields, then markup, then what the page prints; each value with its evidence."""
