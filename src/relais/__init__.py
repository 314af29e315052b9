"""Relais — the information system of the DCI (arrêté du 12 août 2013, article 1)."""

__version__ = "0.1.0"
