"""Absolute links in e-mails come from the configured site address."""

from django.core.checks import run_checks

from solidarnum.common.links import absolute_url


def test_absolute_url_joins_the_base_and_the_path(settings):
    settings.SITE_BASE_URL = "https://solidarnum.example.org/"
    assert absolute_url("referrals:referent_referral_list") == (
        "https://solidarnum.example.org/orientations/suivi/"
    )
    settings.SITE_BASE_URL = ""
    assert absolute_url("referrals:referent_referral_list") == ""


def test_check_warns_when_production_has_no_site_address(settings):
    settings.DEBUG = False
    settings.SITE_BASE_URL = ""
    assert "solidarnum.W101" in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.SITE_BASE_URL = "https://solidarnum.example.org"
    assert "solidarnum.W101" not in {m.id for m in run_checks(include_deployment_checks=True)}
