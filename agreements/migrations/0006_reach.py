from django.db import migrations, models
from django.db.models import Count, Q


def derive_reach(apps, schema_editor):
    """Existing agreements: a bilateral treaty or two country parties and no body is
    bilateral; a General Assembly resolution is universal; the rest plurilateral. The
    data files then say it for each record."""
    Agreement = apps.get_model("agreements", "Agreement")
    pairs = Agreement.objects.annotate(
        countries=Count("participations", filter=Q(participations__country__isnull=False)),
        bodies=Count("participations", filter=Q(participations__body__isnull=False)),
    ).filter(countries=2, bodies=0)
    Agreement.objects.filter(Q(kind="bilateral") | Q(pk__in=pairs.values("pk"))).update(
        reach="bilateral"
    )
    Agreement.objects.filter(symbol__startswith="A/RES/").update(reach="universal")


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_orderings_end_with_pk"),
        ("norms", "0004_orderings_end_with_pk"),
        ("reference", "0003_orderings_end_with_pk"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="agreement",
            name="agreement_list_idx",
        ),
        migrations.AddField(
            model_name="agreement",
            name="reach",
            field=models.CharField(
                choices=[
                    ("bilateral", "Bilateral (two parties)"),
                    ("plurilateral", "Plurilateral (a region or group)"),
                    ("universal", "Universal (all UN members)"),
                ],
                default="plurilateral",
                help_text="Two parties, a region or group, or every UN member (a General Assembly resolution, a treaty negotiated by all). A treaty open to outsiders by invitation stays plurilateral.",
                max_length=20,
                verbose_name="number of parties",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="reach",
            field=models.CharField(
                choices=[
                    ("bilateral", "Bilateral (two parties)"),
                    ("plurilateral", "Plurilateral (a region or group)"),
                    ("universal", "Universal (all UN members)"),
                ],
                default="plurilateral",
                help_text="Two parties, a region or group, or every UN member (a General Assembly resolution, a treaty negotiated by all). A treaty open to outsiders by invitation stays plurilateral.",
                max_length=20,
                verbose_name="number of parties",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(derive_reach, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agreement",
            name="kind",
            field=models.CharField(
                choices=[
                    ("bilateral", "Bilateral treaty"),
                    ("regional-treaty", "Regional treaty"),
                    ("multilateral-treaty", "Multilateral treaty"),
                    ("political-commitment", "Political commitment"),
                    ("eu-legislation", "EU legislation"),
                    ("eu-policy", "EU policy framework"),
                ],
                max_length=30,
                verbose_name="legal form",
            ),
        ),
        migrations.AlterField(
            model_name="historicalagreement",
            name="kind",
            field=models.CharField(
                choices=[
                    ("bilateral", "Bilateral treaty"),
                    ("regional-treaty", "Regional treaty"),
                    ("multilateral-treaty", "Multilateral treaty"),
                    ("political-commitment", "Political commitment"),
                    ("eu-legislation", "EU legislation"),
                    ("eu-policy", "EU policy framework"),
                ],
                max_length=30,
                verbose_name="legal form",
            ),
        ),
        migrations.AddIndex(
            model_name="agreement",
            index=models.Index(
                models.F("status"),
                models.OrderBy(models.F("adopted"), descending=True),
                models.F("title"),
                include=("id", "kind", "reach", "legally_binding", "legal_status"),
                name="agreement_list_idx",
            ),
        ),
    ]
