from django.core.management.base import BaseCommand

from bulletin import services


class Command(BaseCommand):
    help = "Publish every scheduled issue whose time has come. Safe to run twice."

    def handle(self, *args, **options):
        published = services.issue_publish_scheduled()
        if published:
            self.stdout.write(f"Published issue(s): {', '.join(map(str, published))}")
        else:
            self.stdout.write("Nothing due.")
