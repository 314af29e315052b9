"""Workflow: states as TextChoices, transitions declared as data, one function applies them."""
