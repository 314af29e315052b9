"""Notifications: in-app inbox and e-mail, from workflow transitions and deadlines."""
