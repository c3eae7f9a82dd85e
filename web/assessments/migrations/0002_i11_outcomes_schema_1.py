"""Stored proposal outcomes rewritten in the core's version-1 shape: ``criterion`` → ``criterion_id`` (xiaozhen.verdicts)."""

from django.db import migrations

from xiaozhen.verdicts import upgrade_outcome


def forwards(apps, schema_editor):
    Proposal = apps.get_model("assessments", "Proposal")
    for row in Proposal.objects.exclude(outcomes=[]).iterator():
        upgraded = [upgrade_outcome(o) for o in row.outcomes]
        if upgraded != row.outcomes:
            Proposal.objects.filter(pk=row.pk).update(outcomes=upgraded)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
