"""The satisfaction survey: in the person's language, once, and the rates per service and site."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from solidarnum.notifications.models import Message
from solidarnum.support.models import SurveyAnswer
from tests.support.factories import make_appointment, make_person


def test_a_link_by_sms_then_an_answer_in_arabic_once(world, clients, client):
    person = make_person(world, languages=["ar"])
    appointment = make_appointment(
        world, person=person, starts_at=timezone.now() - timedelta(hours=2), status="came"
    )
    url = reverse("support:survey_start", kwargs={"kind": "permanence", "pk": appointment.pk})
    assert clients["volunteer_a"].post(url, {"send": "1"}).status_code == 302
    survey = SurveyAnswer.objects.get()
    message = Message.objects.get(template="support.survey")
    assert str(survey.token) in message.body and "?lang=ar" in message.body
    page = client.get(reverse("support:survey", kwargs={"token": survey.token}) + "?lang=ar")
    assert "هل تعلمت شيئا؟" in page.text and "data-speak" in page.text
    bad = client.post(reverse("support:survey", kwargs={"token": survey.token}), {"smiley": "5"})
    assert bad.status_code == 400
    survey.refresh_from_db()
    assert survey.answered_at is None
    answer = {"smiley": "5", "learnt": "yes", "clear": "bit", "again": "yes"}
    client.post(reverse("support:survey", kwargs={"token": survey.token}), answer)
    survey.refresh_from_db()
    assert survey.smiley == 5 and survey.answered_at is not None
    again = client.post(
        reverse("support:survey", kwargs={"token": survey.token}), {**answer, "smiley": "1"}
    )
    survey.refresh_from_db()
    assert again.status_code == 200 and survey.smiley == 5


def test_the_tablet_opens_the_survey_and_the_rates_count_happy_faces(world, clients):
    appointment = make_appointment(
        world, starts_at=timezone.now() - timedelta(hours=2), status="came"
    )
    url = reverse("support:survey_start", kwargs={"kind": "permanence", "pk": appointment.pk})
    response = clients["staff_a"].post(url)
    assert response["Location"].startswith("/accompagner/avis/")
    for smiley in (5, 4, 4, 2):
        SurveyAnswer.objects.create(
            kind="one_to_one",
            reception_point=world.site_a,
            smiley=smiley,
            answered_at=timezone.now(),
        )
    text = clients["manager_a"].get(reverse("support:satisfaction_rates")).text
    assert "75 %" in text and "Permanence connectée" in text
    assert "Paris 19e" in clients["admin"].get(reverse("support:satisfaction_rates")).text
    assert "Paris 19e" not in clients["staff_b"].get(reverse("support:satisfaction_rates")).text
