"""Seed the regions the shipped programmes cover (regions/seed.py; idempotent)."""

from django.db import migrations


def seed(apps, schema_editor):
    from regions.seed import apply

    apply(apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
