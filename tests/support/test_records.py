"""Activity records: prefilled from the booking, La Coop's values, bad input refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import ActivityRecord
from solidarnum.support.records import services
from solidarnum.support.records.selectors import monthly_counts
from tests.support.factories import at, make_appointment, scope_of_user


def _past(world, **extra):
    return make_appointment(world, starts_at=timezone.now() - timedelta(hours=2), **extra)


def test_the_form_is_prefilled_and_one_post_records_it(world, clients):
    appointment = _past(world)
    url = reverse("support:appointment_record", kwargs={"pk": appointment.pk})
    page = clients["volunteer_a"].get(url)
    form = page.context["form"]
    assert form.initial["duration_minutes"] == 90
    assert form.initial["on"] == timezone.localtime(appointment.starts_at).date()
    response = clients["volunteer_a"].post(
        url,
        {
            "on": form.initial["on"].isoformat(),
            "duration_minutes": "90",
            "themes": ["email", "aide_aux_demarches_administratives"],
            "administrative_themes": ["social_sante"],
            "autonomy": "partiellement_autonome",
            "material": ["ordinateur"],
            "redirection": "mediation_numerique",
            "redirected_to_point": world.site_b.pk,
            "redirected_to_point_text": world.site_b.name,
            "redirected_to_other": "",
            "note": "Boîte mail créée.",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    record = ActivityRecord.objects.get()
    assert (
        record.beneficiary == appointment.beneficiary
        and record.animator == world.users["volunteer_a"]
    )
    assert record.themes == ["aide_aux_demarches_administratives", "email"]
    assert record.redirected_to_point == world.site_b
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CAME


def test_a_bad_record_answers_400_and_saves_nothing(world, clients):
    appointment = _past(world)
    url = reverse("support:appointment_record", kwargs={"pk": appointment.pk})
    response = clients["volunteer_a"].post(url, {"on": "2020-01-01", "duration_minutes": "90"})
    assert response.status_code == 400
    assert "Choisissez au moins un thème" in response.text
    assert not ActivityRecord.objects.exists()


def _details(**extra):
    values = {
        "on": timezone.localdate(),
        "duration_minutes": 60,
        "themes": ["email"],
        "administrative_themes": [],
        "autonomy": "autonome",
    }
    values.update(extra)
    return services.Details(**values)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"themes": []}, "au moins un thème"),
        ({"themes": ["cuisine"]}, "n'existe pas"),
        ({"administrative_themes": ["logement"]}, "Aide aux démarches"),
        ({"autonomy": ""}, "autonomie"),
        ({"on": timezone.localdate() + timedelta(days=2)}, "à venir"),
        ({"redirected_to_other": "Médiathèque"}, "type de structure"),
    ],
)
def test_the_record_keeps_la_coops_rules(world, extra, message):
    appointment = _past(world)
    with pytest.raises(ServiceError, match=message):
        services.record_appointment(
            acting_user=world.users["volunteer_a"],
            scope=scope_of_user(world, "volunteer_a"),
            appointment=appointment,
            details=_details(**extra),
        )
    assert not ActivityRecord.objects.exists()


def test_one_record_per_session_and_not_before_it(world):
    appointment = _past(world)
    scope = scope_of_user(world, "volunteer_a")
    services.record_appointment(
        acting_user=scope.user, scope=scope, appointment=appointment, details=_details()
    )
    with pytest.raises(ServiceError, match="déjà enregistré"):
        services.record_appointment(
            acting_user=scope.user, scope=scope, appointment=appointment, details=_details()
        )
    future = make_appointment(world, starts_at=at(timezone.localdate() + timedelta(days=3), 10))
    with pytest.raises(ServiceError, match="pas encore commencé"):
        services.record_appointment(
            acting_user=scope.user, scope=scope, appointment=future, details=_details()
        )


def test_another_volunteer_cannot_record_it(world):
    appointment = _past(world, volunteer="staff_a")
    with pytest.raises(ServiceError):
        services.record_appointment(
            acting_user=world.users["volunteer_a"],
            scope=scope_of_user(world, "volunteer_a"),
            appointment=appointment,
            details=_details(),
        )


def test_monthly_counts_and_the_list(world, clients, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(3):
        ActivityRecord.objects.create(
            reception_point=world.site_a, kind="one_to_one", on=today, duration_minutes=60 + n * 30
        )
    with django_assert_max_num_queries(1):
        months = monthly_counts(world.site_a.pk, today.year)
    assert months == [{"month": today.month, "records": 3, "people": 3, "hours": 4}]
    text = clients["staff_a"].get(reverse("support:record_list")).text
    assert "Activité du point d'accueil" in text
