"""reception pages and API."""

PAGES = {}
OPERATIONS = {}
