"""Search: one full-text search over every registered model, filtered by visible_to."""
