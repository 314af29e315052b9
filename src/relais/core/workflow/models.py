"""Models of workflow (none yet)."""
