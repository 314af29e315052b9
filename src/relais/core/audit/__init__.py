"""Audit: the change history of every business record, the access log and the hash chain."""
