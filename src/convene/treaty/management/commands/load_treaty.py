from django.core.management.base import BaseCommand

from convene.treaty.services import load_treaty
from convene.treaty.treaty_data import CONVENTION_FILE


class Command(BaseCommand):
    help = "Load or update the treaty (structure and final clauses) from its data file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CONVENTION_FILE))

    def handle(self, *args, path, **options):
        treaty = load_treaty(None, path)
        self.stdout.write(f"{treaty.short_title}: {len(treaty.structure)} chapters, "
                          f"{treaty.article_count} articles.")
