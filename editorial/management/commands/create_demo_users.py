from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from editorial.roles import ADMINISTRATOR, EDITOR, REVIEWER, setup_roles

# Local demo only (README lists them); the command refuses to run in production.
DEMO_USERS = [
    ("editor", "Edith Editor", EDITOR, "editor-demo-2026"),
    ("reviewer", "Rui Reviewer", REVIEWER, "reviewer-demo-2026"),
    ("admin", "Ada Administrator", ADMINISTRATOR, "admin-demo-2026"),
]


class Command(BaseCommand):
    help = "Create the documented demo logins for the local site (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo users are for the local site only, not production.")
        groups = setup_roles()
        for username, full_name, role, password in DEMO_USERS:
            first, last = full_name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.is_staff = True
            user.is_superuser = role == ADMINISTRATOR
            user.set_password(password)
            user.save()
            user.groups.set([groups[role]])
            self.stdout.write(f"{username} ({role}): password {password}")
