import pytest
from django.urls import reverse

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Code, PackHandover
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device
from tests.connectivity.factories import make_pack_stock, secret_of
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def _post(client, world, sim, top_up, quantity="10", **extra):
    data = {
        "structure": world.structure_a.pk,
        "quantity": quantity,
        "sim_offer": sim.pk,
        "top_up_offer": top_up.pk,
        **extra,
    }
    return client.post(reverse("connectivity:pack_create"), data)


def test_staff_hand_10_packs_and_the_slip_lists_the_serials_never_a_secret(clients, world):
    sim, top_up = make_pack_stock(world, 12)
    form = clients["staff_a"].get(reverse("connectivity:pack_create")).content.decode()
    assert "<dt>Packs possibles</dt><dd>12</dd>" in form

    response = _post(clients["staff_a"], world, sim, top_up)

    assert response.status_code == 302
    handover = PackHandover.objects.get()
    assert response["Location"] == reverse("connectivity:pack_detail", kwargs={"pk": handover.pk})
    detail = clients["staff_a"].get(response["Location"]).content.decode()
    given = Code.objects.filter(status=CodeStatus.GIVEN, offer=top_up)
    assert given.count() == 10
    for code in given:
        assert code.serial in detail
        assert secret_of(code.serial) not in detail
    slip = clients["staff_a"].get(reverse("connectivity:pack_slip", kwargs={"pk": handover.pk}))
    assert slip.status_code == 200
    assert slip["Content-Type"] == "application/pdf"
    assert slip.content.startswith(b"%PDF")
    form = clients["staff_a"].get(reverse("connectivity:pack_create")).content.decode()
    assert "<dt>Packs possibles</dt><dd>2</dd>" in form
    # The structure's packs: its own history on the list.
    mine = clients["staff_a"].get(
        reverse("connectivity:pack_list"), {"structure": world.structure_a.pk}
    )
    assert handover.reference in mine.content.decode()
    other = clients["staff_a"].get(
        reverse("connectivity:pack_list"), {"structure": world.structure_b.pk}
    )
    assert handover.reference not in other.content.decode()


def test_a_bad_form_or_too_many_packs_answer_400_and_move_nothing(clients, world):
    sim, top_up = make_pack_stock(world, 3)
    missing = _post(clients["staff_a"], world, sim, top_up, quantity="")
    assert missing.status_code == 400
    too_many = _post(clients["staff_a"], world, sim, top_up, quantity="4")
    assert too_many.status_code == 400
    assert "Il ne reste que 3" in too_many.content.decode()
    other_site = _post(
        clients["staff_a"], world, sim, top_up, quantity="1", structure=world.structure_b.pk
    )
    assert other_site.status_code == 400
    assert not PackHandover.objects.exists()
    assert not Device.objects.filter(status=Status.GIVEN).exists()
    assert not Code.objects.filter(status=CodeStatus.GIVEN).exists()


def test_the_list_and_a_handover_cost_the_same_whatever_their_size(clients, world):
    sim, top_up = make_pack_stock(world, 12)
    _post(clients["staff_a"], world, sim, top_up, quantity="1")
    handover = PackHandover.objects.get()
    detail = reverse("connectivity:pack_detail", kwargs={"pk": handover.pk})
    few_list = count_queries(clients["staff_a"], reverse("connectivity:pack_list"))
    few_detail = count_queries(clients["staff_a"], detail)
    _post(clients["staff_a"], world, sim, top_up, quantity="2")
    _post(clients["staff_a"], world, sim, top_up, quantity="9")
    big = PackHandover.objects.get(quantity=9)
    assert count_queries(clients["staff_a"], reverse("connectivity:pack_list")) == few_list
    assert (
        count_queries(clients["staff_a"], reverse("connectivity:pack_detail", args=[big.pk]))
        == few_detail
    )


def test_the_structures_page_lists_the_packs_it_received_to_those_who_see_them(clients, world):
    sim, top_up = make_pack_stock(world, 3)
    _post(clients["staff_a"], world, sim, top_up, quantity="3")
    handover = PackHandover.objects.get()
    url = reverse("network:partner_detail", kwargs={"pk": world.structure_a.pk})
    for role in ("staff_a", "admin"):
        page = clients[role].get(url).content.decode()
        assert "3 packs reçus" in page and handover.reference in page, role
    # The structure's référents read its page, not the reception point's stock.
    referent = clients["lead_referent"].get(url)
    assert referent.status_code == 200
    assert "Packs maraude reçus" not in referent.content.decode()
    other = clients["admin"].get(
        reverse("network:partner_detail", kwargs={"pk": world.structure_b.pk})
    )
    assert "Packs maraude reçus" not in other.content.decode()
