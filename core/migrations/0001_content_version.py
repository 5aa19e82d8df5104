from django.db import migrations, models

# The number comes from a sequence, so that it never repeats, even after the table is
# emptied (a test flush) or an older backup is restored.
BUMP = """
CREATE SEQUENCE core_contentversion_number;
CREATE FUNCTION core_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_contentversion (id, number, changed_at)
    VALUES (1, nextval('core_contentversion_number'), clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET number = EXCLUDED.number, changed_at = EXCLUDED.changed_at;
    RETURN NULL;
END
$$;
INSERT INTO core_contentversion (id, number, changed_at)
VALUES (1, nextval('core_contentversion_number'), clock_timestamp());
"""
UNBUMP = """
DROP FUNCTION core_bump_content_version() CASCADE;
DROP SEQUENCE core_contentversion_number;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField()),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="one_content_version"
                    )
                ],
            },
        ),
        migrations.RunSQL(BUMP, UNBUMP),
    ]
