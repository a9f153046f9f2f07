"""Parse stage: files → normalised text → a Document tree."""
