"""The county's complaint types (the same function the demo seeder calls)."""

from django.db import migrations


def seed(apps, schema_editor):
    from complaints.catalogue import seed_complaint_types

    seed_complaint_types(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_periodic_tasks"),
        ("staff_directory", "0002_desk_bounds"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
