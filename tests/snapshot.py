"""The committed test data kept as PostgreSQL's binary COPY of each table, to put back after
a transactional test's flush in a fraction of a second (loading data/ again takes seconds)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from core import compiled

# Kept by its own triggers: every write to content bumps it, from a sequence that a flush
# leaves as it is, so the version after a restore is new and no cached page is read again.
# Search's entries are written by the record tables' triggers as their rows are put back.
NOT_RESTORED = {"core_contentversion", "research_searchentry"}
# Filled by triggers on the record tables (ON CONFLICT DO NOTHING): put back first, so that
# the records' rows add no word twice.
FIRST = ["research_searchword"]


class Snapshot:
    """The rows of every table a flush empties (Django's tables), as they are now."""

    def __init__(self) -> None:
        tables = set(connection.introspection.django_table_names(only_existing=True))
        tables -= NOT_RESTORED
        ordered = [t for t in FIRST if t in tables] + sorted(tables - set(FIRST))
        with connection.cursor() as cursor:
            # Generated columns (the stored search vectors) are computed again, not copied.
            cursor.execute(
                "SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) "
                "FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND is_generated = 'NEVER' AND table_name = ANY(%s) GROUP BY table_name",
                [ordered],
            )
            columns = dict(cursor.fetchall())
            self.tables = []
            for table in ordered:
                names = ", ".join(connection.ops.quote_name(c) for c in columns[table])
                quoted = connection.ops.quote_name(table)
                with cursor.copy(f"COPY {quoted} ({names}) TO STDOUT (FORMAT BINARY)") as copy:
                    data = b"".join(bytes(block) for block in copy)
                self.tables.append((quoted, names, data))

    def restore(self) -> None:
        """Empty the tables and put the rows back, with the same keys; the sequences of the
        keys then continue after the largest."""
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(quoted for quoted, _, _ in self.tables))
            for quoted, names, data in self.tables:
                with cursor.copy(f"COPY {quoted} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # The flush made content types anew, with other keys: forget what was read of them.
        ContentType.objects.clear_cache()
        compiled.forget()
