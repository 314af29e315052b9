"""Models of notifications (none yet)."""
