"""Stored verdicts (at submission and at decision) rewritten in the core's version-1 shape (xiaozhen.verdicts)."""

from django.db import migrations

from xiaozhen.verdicts import upgrade_verdict


def forwards(apps, schema_editor):
    for model_name in ("Submission", "StepDecision"):
        model = apps.get_model("applications", model_name)
        for row in model.objects.exclude(verdict={}).iterator():
            upgraded = upgrade_verdict(row.verdict)
            if upgraded is not None and upgraded != row.verdict:
                model.objects.filter(pk=row.pk).update(verdict=upgraded)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
