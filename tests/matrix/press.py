"""press pages and API."""

PAGES = {}
OPERATIONS = {}
