# The queue's indexes (docs/performance.md, "What misses, and why"): the sort index gets
# the id the queue orders by last, and a clerk's department gets its own.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0013_complaint_anonymised_at")]

    operations = [
        migrations.RemoveIndex(
            model_name="complaint",
            name="complaint_sort_idx",
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["-is_priority", "stage_due_at", "id"], name="complaint_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["department", "-is_priority", "stage_due_at", "id"],
                name="complaint_dept_sort_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["department", "channel"], name="complaint_dept_channel_idx"),
        ),
    ]
