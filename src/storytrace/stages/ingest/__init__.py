"""Reading inputs: files, folders and globs; JSONL, WARC and feeds; record-aligned splits."""
