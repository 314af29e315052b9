"""Exports: CSV/XLSX of any list, PDF of any record page, iCalendar feeds."""
