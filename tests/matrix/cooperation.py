"""cooperation pages and API."""

PAGES = {}
OPERATIONS = {}
