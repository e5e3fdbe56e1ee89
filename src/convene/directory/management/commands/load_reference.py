from django.core.management.base import BaseCommand

from convene.directory.services import load_reference_data


class Command(BaseCommand):
    help = "Load or refresh the States and organisations from data/ (safe to run again)."

    def handle(self, *args, **options):
        report = load_reference_data()
        self.stdout.write(f"reference data: {report.created} created, {report.updated} updated, "
                          f"{report.unchanged} unchanged")
