from django.core.management.base import BaseCommand, CommandError

from research import releases


class Command(BaseCommand):
    help = (
        "Write a versioned release of everything public (JSON-LD, a CSV per record type, "
        "a changelog against the release before, SHA-256 checksums) under RELEASES_DIR; "
        "it is listed at /data/releases/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="release_version",
            metavar="VERSION",
            help="YYYY.MM.DD (default: today's date, then .2, .3 ...)",
        )

    def handle(self, *args, **options):
        try:
            manifest = releases.build(options["release_version"])
        except releases.ReleaseError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n} {key}" for key, n in manifest["counts"].items())
        changes = manifest["changes"]
        self.stdout.write(
            f"Release {manifest['version']}: {counts}; {changes['added']} added, "
            f"{changes['removed']} removed, {changes['changed']} changed since "
            f"{manifest['previous'] or 'nothing'}. {releases.root()}"
        )
