"""The stale-message check: a message about an object that has changed since it was queued (a
referral cancelled, refused or moved to another place) is not sent.

An app registers, from its `AppConfig.ready()`, a function giving the fingerprint of its objects
of one type ("app.model"): what the message depends on, e.g. a referral's status and place.
`notify` stores the fingerprint; just before sending, it is computed again, and a message whose
object is gone (None) or whose fingerprint changed is marked "non envoyé".

    from solidarnum.notifications import staleness
    staleness.register("referrals.referral", referral_fingerprint)
"""

from collections.abc import Callable

Fingerprint = Callable[[str], str | None]

_registry: dict[str, Fingerprint] = {}


def register(object_type: str, fingerprint: Fingerprint) -> None:
    _registry[object_type] = fingerprint


def fingerprint_of(object_type: str, object_id: str) -> str | None:
    """ "" for objects of a type nobody registered (never stale), None for a vanished object."""
    compute = _registry.get(object_type)
    if compute is None or not object_id:
        return ""
    return compute(object_id)
