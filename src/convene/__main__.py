"""The `convene` console command: Django's management commands with Convene's settings.

`convene migrate`, `convene demo_data`, `convene audit verify`, `convene db_worker`, …
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
