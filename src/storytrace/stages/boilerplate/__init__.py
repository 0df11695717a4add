"""Boilerplate removal: the article body of a page, with what was removed kept viewable."""
