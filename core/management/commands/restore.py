"""``manage.py restore FILE``: load a backup into an empty database."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import connection

from core.management.postgres_tools import connection_arguments, run_program


def user_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return [row[0] for row in cursor.fetchall()]


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into the database, which must be empty."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .dump file written by `backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database holds (drops the objects the backup contains).",
        )

    def handle(self, *args, file: Path, force: bool, **options):
        if not file.is_file():
            raise CommandError(f"No backup at {file}")
        name = connection.settings_dict["NAME"]
        tables = user_tables()
        connection.close()
        if tables and not force:
            raise CommandError(
                f"The database {name!r} is not empty ({len(tables)} tables): restoring into "
                "it would mix two sites. Restore into an empty database, or add FORCE=1 "
                "(manage.py restore --force) to replace its contents with the backup's."
            )
        arguments, env = connection_arguments()
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if tables:
            options += ["--clean", "--if-exists"]
        run_program("pg_restore", [*arguments, *options, str(file)], env)
        self.stdout.write(f"Restored {file} into {name!r}")
