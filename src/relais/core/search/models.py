"""Models of search (none yet)."""
