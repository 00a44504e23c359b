"""The initial refusal reasons (`referrals.reasons`). Codes are never deleted, only hidden."""

from django.db import migrations

from solidarnum.referrals.reasons import ensure_default_refusal_reasons


def forward(apps, schema_editor):
    ensure_default_refusal_reasons(apps.get_model("referrals", "RefusalReason"))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
