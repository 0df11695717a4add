"""HTML pages: block rendering and labelling, with trafilatura as a second opinion."""
