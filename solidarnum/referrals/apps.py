from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "solidarnum.referrals"
    label = "referrals"

    def ready(self) -> None:
        # The daily anonymisation of personal data scrubs referrals too (beneficiaries cannot
        # import referrals: it offers the extension point, referrals fills it).
        from solidarnum.beneficiaries import retention

        # A message queued about a referral that changed since is not sent.
        from solidarnum.notifications import staleness

        from .notifications import referral_fingerprint
        from .tasks import anonymise_closed_referrals, anonymise_referrals_of_files

        staleness.register("referrals.referral", referral_fingerprint)

        retention.register(
            retention.Keeper(
                "referrals",
                expired=anonymise_closed_referrals,
                of_files=anonymise_referrals_of_files,
            )
        )
