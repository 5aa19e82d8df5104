from django.db import migrations

# Every change to the version's row, however made (the bump on a content write, a
# release, SQL), notifies the sessions listening: each web worker's connection, which
# then knows the version without asking for it on each request (core/pagecache.py).
# One notification per transaction: PostgreSQL folds identical ones.
NOTIFY = """
CREATE FUNCTION core_notify_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cyberdiplo_content', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER core_content_version_notify
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core_contentversion
FOR EACH STATEMENT EXECUTE FUNCTION core_notify_content_version();
"""
UNNOTIFY = "DROP FUNCTION core_notify_content_version() CASCADE;"


class Migration(migrations.Migration):
    dependencies = [("core", "0001_content_version")]

    operations = [migrations.RunSQL(NOTIFY, UNNOTIFY)]
