import pytest
from django.urls import reverse

from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus, CodeTransferStatus
from solidarnum.connectivity.models import Code, CodeEvent
from solidarnum.connectivity.transfers import services
from tests.connectivity.factories import make_codes, make_offer

pytestmark = pytest.mark.django_db


def _as(world, role):
    user = world.users[role]
    return {"acting_user": user, "scope": resolve_scope(user, None)}


def test_codes_travel_and_a_missing_one_is_set_aside(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 5)
    transfer = services.send_codes(
        **_as(world, "staff_a"),
        from_point=world.site_a,
        to_point=world.site_b,
        offer=offer,
        quantity=4,
    )
    assert Code.objects.filter(status=CodeStatus.IN_TRANSIT).count() == 4
    with pytest.raises(ServiceError, match="décrivez l'écart"):
        services.receive_codes(**_as(world, "staff_b"), transfer=transfer, received=3)
    with pytest.raises(ServiceError):
        services.receive_codes(**_as(world, "staff_a"), transfer=transfer, received=4)
    services.receive_codes(
        **_as(world, "staff_b"), transfer=transfer, received=3, discrepancy_note="carton ouvert"
    )
    transfer.refresh_from_db()
    assert transfer.status == CodeTransferStatus.DISCREPANCY
    assert (
        Code.objects.filter(status=CodeStatus.IN_STOCK, reception_point=world.site_b).count() == 3
    )
    assert Code.objects.filter(status=CodeStatus.DEFECTIVE).count() == 1
    assert CodeEvent.objects.filter(to_status=CodeStatus.IN_TRANSIT).count() == 4


def test_sending_more_than_the_stock_sends_nothing(world):
    offer = make_offer()
    make_codes(offer, world.site_a, 2)
    with pytest.raises(ServiceError, match="Il ne reste que 2"):
        services.send_codes(
            **_as(world, "staff_a"),
            from_point=world.site_a,
            to_point=world.site_b,
            offer=offer,
            quantity=3,
        )
    assert not Code.objects.filter(status=CodeStatus.IN_TRANSIT).exists()


def test_the_transfer_pages_send_and_receive(clients, world):
    offer = make_offer()
    make_codes(offer, world.site_a, 3)
    response = clients["staff_a"].post(
        reverse("connectivity:transfer_create"),
        {"to_point": world.site_b.pk, "offer": offer.pk, "quantity": "3"},
    )
    assert response.status_code == 302
    transfer_url = response["Location"]
    receive = transfer_url + "recevoir/"
    assert clients["staff_b"].post(receive, {"received": "3"}).status_code == 302
    assert Code.objects.filter(reception_point=world.site_b, status="in_stock").count() == 3
