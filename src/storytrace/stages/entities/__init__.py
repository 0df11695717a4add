"""Entities: spaCy NER plus a gazetteer ruler, merged into entities with aliases."""
