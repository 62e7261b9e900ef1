"""Cases record whether their decision took the content down (the transparency report
counts removals from it); decided cases whose decision was a removal are marked."""

from django.db import migrations, models


def mark_removals(apps, schema_editor):
    Case = apps.get_model("moderation", "Case")
    Case.objects.filter(status="decided", decision="remove").update(content_removed=True)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0005_cases_from_scans")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="content_removed",
            field=models.BooleanField(default=False, verbose_name="已删除内容"),
        ),
        migrations.RunPython(mark_removals, migrations.RunPython.noop),
    ]
