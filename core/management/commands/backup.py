"""``manage.py backup``: the whole database in pg_dump's custom format."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand

from core.management.postgres_tools import connection_arguments, run_program


class Command(BaseCommand):
    help = "Dump the database to backups/<UTC timestamp>.dump (pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (default: backups/<UTC timestamp>.dump under the project).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        if output is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.BASE_DIR) / "backups" / f"{stamp}.dump"
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        arguments, env = connection_arguments()
        # Written aside and renamed at the end: a failed dump never looks like a backup.
        run_program("pg_dump", [*arguments, "--format=custom", "--file", str(partial)], env)
        partial.rename(output)
        size = output.stat().st_size
        self.stdout.write(f"Backed up to {output} ({size:,} bytes)")
