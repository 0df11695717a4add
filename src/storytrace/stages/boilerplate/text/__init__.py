"""Plain-text page dumps: a learned line classifier with rules around it."""
