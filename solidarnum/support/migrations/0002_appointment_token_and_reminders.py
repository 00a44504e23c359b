import uuid

from django.db import migrations, models


def give_tokens(apps, schema_editor):
    Appointment = apps.get_model("support", "Appointment")
    for appointment in Appointment.objects.filter(public_token__isnull=True).only("pk"):
        appointment.public_token = uuid.uuid4()
        appointment.save(update_fields=["public_token"])


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="public_token",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="appointment",
            name="public_token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="appointment",
            name="reminded_before_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="appointment",
            name="reminded_same_day_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
