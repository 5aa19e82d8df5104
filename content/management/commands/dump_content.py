from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.dump import dump_content
from content.reader import ContentError, read_content


class Command(BaseCommand):
    help = (
        "Write the database back to the data-file format (the reverse of load_content), "
        "removing data files that no longer match a record, then check what was written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="Folder to write (default: CYBERDIPLO_CONTENT_DIR)."
        )

    def handle(self, *args, path: Path | None, **options):
        root = path or settings.CONTENT_DIR
        if root.exists() and not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        count = dump_content(root)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} files to {root}."))
        # Records made in the admin may not meet the data-file rules yet (a draft
        # without a source): say so now rather than at the next load.
        try:
            read_content(root)
        except ContentError as exc:
            raise CommandError(f"The dump does not load as it is: {exc}") from None
