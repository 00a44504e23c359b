from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "solidarnum.referrals"
    label = "referrals"

    def ready(self) -> None:
        # The daily anonymisation of personal data scrubs referrals too (beneficiaries cannot
        # import referrals: it offers the extension point, referrals fills it).
        from solidarnum.beneficiaries import retention

        from .tasks import anonymise_closed_referrals, anonymise_referrals_of_files

        retention.register(
            retention.Keeper(
                "referrals",
                expired=anonymise_closed_referrals,
                of_files=anonymise_referrals_of_files,
            )
        )
