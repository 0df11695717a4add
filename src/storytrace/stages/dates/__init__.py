"""Dates: printed publication dates, time expressions (timex) and inferred publication intervals."""
