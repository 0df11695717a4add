"""Quotes: quotation marks, reporting frames and cues, speakers, attribution chains, statements."""
