"""The daily anonymisation forgets what messages learnt about the files it anonymises."""

from datetime import timedelta

from django.utils import timezone

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.tasks import anonymise_personal_data
from solidarnum.notifications.models import DoubtfulPhone
from tests.beneficiaries import make_beneficiary

from .factories import make_message


def test_an_anonymised_file_loses_its_messages_texts_and_warnings(world):
    gone = make_beneficiary(world)
    staying = make_beneficiary(world, last_name="Toujours", phone="+33698765432")
    old_message = make_message(beneficiary=gone)
    kept_message = make_message(beneficiary=staying, recipient="+33698765432")
    DoubtfulPhone.objects.create(beneficiary=gone, phone="+33612345678")
    DoubtfulPhone.objects.create(beneficiary=staying, phone="+33698765432")
    Beneficiary.objects.filter(pk=gone.pk).update(
        exited_on=timezone.localdate() - timedelta(days=800)
    )
    result = anonymise_personal_data()
    assert result["beneficiaries"] == 1
    old_message.refresh_from_db()
    kept_message.refresh_from_db()
    assert old_message.body == "" and old_message.recipient == "+33 •• •• •• •• 78"
    assert kept_message.body and kept_message.recipient == "+33698765432"
    assert list(DoubtfulPhone.objects.values_list("beneficiary_id", flat=True)) == [staying.pk]


def test_a_warning_older_than_the_delay_is_forgotten(world, settings):
    beneficiary = make_beneficiary(world)
    DoubtfulPhone.objects.create(beneficiary=beneficiary, phone="+33612345678")
    DoubtfulPhone.objects.update(
        at=timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    )
    assert anonymise_personal_data()["notifications"] == 1
    assert not DoubtfulPhone.objects.exists()
