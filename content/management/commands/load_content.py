from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.loader import ContentError, load_content


class Command(BaseCommand):
    help = (
        "Check and load the curated knowledge base from data/ (idempotent, all or nothing). "
        "Records changed in the admin since they were loaded are left alone and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="Folder to load (default: CYBERDIPLO_CONTENT_DIR)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything, including the database's own rules, then roll back.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite records changed in the admin (their status is kept).",
        )

    def handle(self, *args, path: Path | None, dry_run: bool, force: bool, **options):
        root = path or settings.CONTENT_DIR
        try:
            stats = load_content(root, dry_run=dry_run, force=force)
        except ContentError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        verb = "Checked (nothing written)" if dry_run else "Loaded"
        style = self.style.WARNING if stats.skipped or stats.forced else self.style.SUCCESS
        self.stdout.write(style(f"{verb} {root}: {stats}."))
