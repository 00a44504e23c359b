"""The refurbishing skill moves into the volunteer profile (ADR 0038): every volunteer whose
membership carries `can_check_devices` gets a profile with the skill."""

from django.db import migrations


def forwards(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    VolunteerProfile = apps.get_model("volunteers", "VolunteerProfile")
    user_ids = set(
        Membership.objects.filter(role="volunteer", can_check_devices=True).values_list(
            "user_id", flat=True
        )
    )
    for user_id in user_ids:
        profile, _created = VolunteerProfile.objects.get_or_create(user_id=user_id)
        if "refurbishing" not in profile.skills:
            profile.skills = [*profile.skills, "refurbishing"]
            profile.save(update_fields=["skills"])
    # Every volunteer membership of these people carries the skill, as the profile decides.
    Membership.objects.filter(role="volunteer", user_id__in=user_ids).update(
        can_check_devices=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_profiles_availability_hours_candidates_trainings"),
        ("accounts", "0002_refurbisher_contact_and_device_skill"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
