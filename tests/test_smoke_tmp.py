import pytest
from django.urls import reverse

@pytest.mark.parametrize("role", ["anonymous","admin","manager_a","staff_a","volunteer_a","staff_b","lead_referent","referent","relay_operator","donor_contact"])
def test_pages(clients, world, role):
    c = clients[role]
    for name, kw in [("home",{}),("my_organisation",{}),("team",{}),("user_list",{}),("invite",{}),("reception_point_list",{}),("reception_point_detail",{"pk":world.site_a.pk}),("reception_point_update",{"pk":world.site_a.pk}),("partner_list",{}),("partner_detail",{"pk":world.structure_a.pk}),("donor_list",{}),("donor_detail",{"pk":world.donor.pk}),("audit_list",{}),("account_security",{}),("healthz",{}),("account_login",{})]:
        r = c.get(reverse(name, kwargs=kw))
        print(role, name, r.status_code)
        assert r.status_code in (200,302,403,404), (name, r.status_code)
