"""The local web UI over a store: `storytrace serve --db FILE`."""
