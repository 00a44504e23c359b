"""Volunteers' objects for tests, built directly (services are tested on their own)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from solidarnum.volunteers.enums import HoursCategory, Skill
from solidarnum.volunteers.models import (
    Absence,
    Broadcast,
    BroadcastRecipient,
    Candidate,
    DeclaredHours,
    Training,
    TrainingRegistration,
    VolunteerProfile,
    WeeklySlot,
)


def make_profile(user, **extra: Any) -> VolunteerProfile:
    defaults: dict[str, Any] = {
        "skills": [Skill.ONE_TO_ONE, Skill.WORKSHOP],
        "languages_spoken": ["fr"],
        "started_on": date(2025, 9, 1),
    }
    defaults.update(extra)
    profile, _ = VolunteerProfile.objects.update_or_create(user=user, defaults=defaults)
    return profile


def make_slot(profile, site, weekday=1, start=time(14), end=time(17)) -> WeeklySlot:
    return WeeklySlot.objects.create(
        profile=profile, reception_point=site, weekday=weekday, starts_at=start, ends_at=end
    )


def make_absence(profile, first: date, last: date) -> Absence:
    return Absence.objects.create(profile=profile, starts_on=first, ends_on=last)


def make_hours(user, site, minutes=90, **extra: Any) -> DeclaredHours:
    defaults: dict[str, Any] = {
        "worked_on": timezone.localdate() - timedelta(days=1),
        "category": HoursCategory.WELCOME,
    }
    defaults.update(extra)
    return DeclaredHours.objects.create(
        user=user, reception_point=site, minutes=minutes, **defaults
    )


def make_candidate(site, **extra: Any) -> Candidate:
    defaults: dict[str, Any] = {
        "first_name": "Chloé",
        "last_name": "Candidate",
        "email": "chloe.candidate@example.org",
        "consented_at": timezone.now(),
    }
    defaults.update(extra)
    return Candidate.objects.create(reception_point=site, **defaults)


def make_training(**extra: Any) -> Training:
    defaults: dict[str, Any] = {
        "theme": "Accompagner les démarches en ligne",
        "starts_at": timezone.now() + timedelta(days=10),
        "minutes": 180,
        "place": "Paris 19e",
        "trainer": "Équipe nationale",
        "capacity": 12,
    }
    defaults.update(extra)
    return Training.objects.create(**defaults)


def make_registration(training, structure, **extra: Any) -> TrainingRegistration:
    defaults: dict[str, Any] = {
        "first_name": "Sonia",
        "last_name": "Sociale",
        "email": "sonia.sociale@example.org",
    }
    defaults.update(extra)
    return TrainingRegistration.objects.create(
        training=training, partner_structure=structure, **defaults
    )


def make_broadcast(site, recipients=(), text="Besoin de renfort samedi.") -> Broadcast:
    broadcast = Broadcast.objects.create(reception_point=site, text=text)
    for user in recipients:
        BroadcastRecipient.objects.create(broadcast=broadcast, user=user, channel="email")
    return broadcast
