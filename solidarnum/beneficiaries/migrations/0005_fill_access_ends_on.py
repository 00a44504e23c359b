"""Fill `access_ends_on` on every existing file, in one UPDATE: the effective end of its latest
access period (an early end included), the rule the services keep from now on (ADR 0023)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Beneficiary = apps.get_model("beneficiaries", "Beneficiary")
    AccessPeriod = apps.get_model("beneficiaries", "AccessPeriod")
    latest = (
        AccessPeriod.objects.filter(beneficiary=OuterRef("pk"))
        .order_by("-ends_on", "-pk")
        .annotate(last_day=Coalesce("ended_early_on", "ends_on"))
        .values("last_day")[:1]
    )
    Beneficiary.objects.update(access_ends_on=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0004_access_ends_on_and_list_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
