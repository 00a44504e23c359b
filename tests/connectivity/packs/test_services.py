import pytest

from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, CodeEvent, OutreachPack, PackHandover
from solidarnum.connectivity.packs import selectors, services
from solidarnum.equipment.enums import DeviceKind, Status
from solidarnum.equipment.models import Device, DeviceEvent
from solidarnum.privacy.models import AuditEvent
from tests.connectivity.factories import make_codes, make_pack_stock
from tests.equipment.factories import make_device

pytestmark = pytest.mark.django_db


def _as(world, role):
    user = world.users[role]
    return {"acting_user": user, "scope": resolve_scope(user, None)}


def _hand(world, sim, top_up, quantity, role="staff_a", **extra):
    return services.hand_packs(
        **_as(world, role),
        reception_point=extra.pop("place", world.site_a),
        structure=extra.pop("structure", world.structure_a),
        quantity=quantity,
        sim_offer=sim,
        top_up_offer=top_up,
        **extra,
    )


def test_ten_packs_take_ten_of_each_part_with_their_history(world):
    sim, top_up = make_pack_stock(world, 12)
    assert selectors.pack_stock(world.site_a.pk).packs == 12

    handover = _hand(world, sim, top_up, 10, note="halte de nuit")

    assert handover.reference.startswith("PACK-")
    assert handover.packs.count() == 10
    assert Device.objects.filter(status=Status.GIVEN).count() == 10
    assert Code.objects.filter(offer=sim, status=CodeStatus.GIVEN).count() == 10
    assert Code.objects.filter(offer=top_up, status=CodeStatus.GIVEN).count() == 10
    stock = selectors.pack_stock(world.site_a.pk)
    assert (stock.phones, stock.sims, stock.top_ups) == (2, 2, 2)
    # Every part's move is kept, naming the handover and the structure.
    assert (
        DeviceEvent.objects.filter(
            to_status=Status.GIVEN, reason__contains=handover.reference
        ).count()
        == 10
    )
    events = CodeEvent.objects.filter(to_status=CodeStatus.GIVEN)
    assert events.count() == 20
    assert all(world.structure_a.name in e.reason for e in events)
    assert not Code.objects.filter(status=CodeStatus.GIVEN, revealed_at__isnull=False).exists()
    assert AuditEvent.objects.filter(object_type="connectivity.packhandover").count() == 1


def test_one_part_missing_hands_nothing(world):
    sim, top_up = make_pack_stock(world, 3)
    make_codes(sim, world.site_a, 1, with_secret=False)
    make_codes(top_up, world.site_a, 1)
    with pytest.raises(ServiceError, match="Il ne reste que 3 « Téléphone simple »"):
        _hand(world, sim, top_up, 4)
    make_device(world, kind=DeviceKind.BASIC_PHONE, imei=None)
    Code.objects.filter(offer=top_up, pk=Code.objects.filter(offer=top_up).first().pk).update(
        status=CodeStatus.DEFECTIVE
    )
    with pytest.raises(ServiceError, match="Il ne reste que 3 « Recharge essentielle »"):
        _hand(world, sim, top_up, 4)
    assert not PackHandover.objects.exists()
    assert not OutreachPack.objects.exists()
    assert not Device.objects.filter(status=Status.GIVEN).exists()
    assert not Code.objects.filter(status=CodeStatus.GIVEN).exists()


def test_only_available_basic_phones_of_the_site_go_in_a_pack(world):
    sim, top_up = make_pack_stock(world, 1)
    make_codes(sim, world.site_a, 1, with_secret=False)
    make_codes(top_up, world.site_a, 1)
    make_device(world, kind=DeviceKind.LAPTOP)
    make_device(world, kind=DeviceKind.BASIC_PHONE, status=Status.TO_CHECK, imei=None)
    make_device(world, kind=DeviceKind.BASIC_PHONE, site="b", imei=None)
    _hand(world, sim, top_up, 1)
    with pytest.raises(ServiceError, match="Il ne reste que 0 « Téléphone simple »"):
        _hand(world, sim, top_up, 1)


def test_who_may_hand_packs_and_to_whom(world):
    sim, top_up = make_pack_stock(world, 2)
    with pytest.raises(ServiceError, match="Seule l'équipe"):
        _hand(world, sim, top_up, 1, role="volunteer_a")
    with pytest.raises(ServiceError, match="Seule l'équipe"):
        _hand(world, sim, top_up, 1, role="staff_b")
    with pytest.raises(ServiceError, match="structure partenaire active"):
        _hand(world, sim, top_up, 1, structure=world.structure_b)
    with pytest.raises(ServiceError, match="entre 1 et 50"):
        _hand(world, sim, top_up, 51)
    with pytest.raises(ServiceError, match="carte SIM et une recharge"):
        _hand(world, top_up, sim, 1)
    assert not PackHandover.objects.exists()


def test_a_revealed_or_consigned_code_never_goes_in_a_pack(world):
    sim, top_up = make_pack_stock(world, 2)
    Code.objects.filter(offer=top_up).update(status=CodeStatus.DEFECTIVE)
    with pytest.raises(ServiceError, match="Il ne reste que 0 « Recharge essentielle »"):
        _hand(world, sim, top_up, 1)
