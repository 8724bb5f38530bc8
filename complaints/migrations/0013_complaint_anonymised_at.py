from django.db import migrations, models
from django.db.models import F

# The title the purge used to mark an anonymised filing with before this field existed.
ANONYMISED_TITLE = "(보존기간 경과로 개인정보 삭제)"


def mark_anonymised(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.filter(title=ANONYMISED_TITLE, complainant_name="").update(
        anonymised_at=F("closed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0012_english_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="개인정보 삭제 시각"
            ),
        ),
        migrations.RunPython(mark_anonymised, migrations.RunPython.noop, elidable=True),
    ]
