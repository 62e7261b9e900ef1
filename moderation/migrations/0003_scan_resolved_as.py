from django.db import migrations, models
from django.db.models import Q


def backfill_resolved_as(apps, schema_editor):
    """Records resolved before the field existed: a resolver in the moderator or admin role
    (or a superuser) acted as a moderator, anyone else as an editor."""
    ScanRecord = apps.get_model("moderation", "ScanRecord")
    moderators = Q(resolved_by__is_superuser=True) | Q(resolved_by__groups__name__in=["moderator", "admin"])
    resolved = ScanRecord.objects.filter(resolved_by__isnull=False, resolved_as="")
    ScanRecord.objects.filter(pk__in=resolved.filter(moderators).values("pk")).update(resolved_as="moderator")
    ScanRecord.objects.filter(resolved_by__isnull=False, resolved_as="").update(resolved_as="editor")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_lexicon_scans_audit"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scanrecord",
            name="resolved_as",
            field=models.CharField(
                blank=True,
                choices=[("editor", "编辑"), ("moderator", "审核员")],
                max_length=10,
                verbose_name="处理身份",
            ),
        ),
        migrations.RunPython(backfill_resolved_as, migrations.RunPython.noop),
    ]
