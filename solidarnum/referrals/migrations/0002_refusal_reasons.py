"""The initial refusal reasons. Codes are never deleted, only hidden."""

from django.db import migrations

REASONS = [
    ("hors-territoire", "La personne habite hors du territoire du point d'accueil"),
    ("deja-accompagnee", "La personne est déjà accompagnée par l'association"),
    ("besoin-hors-offre", "Le besoin ne correspond pas à notre offre"),
    ("injoignable", "La personne n'a pas pu être jointe"),
    ("pas-de-place", "Plus de place disponible pour le moment"),
    ("autonome", "La personne est déjà autonome"),
    ("autre", "Autre motif (précisé en commentaire)"),
]


def forward(apps, schema_editor):
    RefusalReason = apps.get_model("referrals", "RefusalReason")
    for position, (code, label) in enumerate(REASONS):
        RefusalReason.objects.update_or_create(
            code=code, defaults={"label": label, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
