"""The connectivity models, one module per sub-area, all re-exported here."""

from .codes import Code, CodeEvent, CodeQuerySet, CodeTransfer, Delivery, StockAlert
from .jobs import DeliveryJob
from .mediation import MediationCase, MediationStep, PlanAdvice
from .offers import Offer, OfferPrice, OfferQuerySet
from .packs import OutreachPack, PackHandover
from .relays import Consignment, RelaySale, RelayStatement

__all__ = [
    "Code",
    "CodeEvent",
    "CodeQuerySet",
    "CodeTransfer",
    "Consignment",
    "Delivery",
    "DeliveryJob",
    "MediationCase",
    "MediationStep",
    "Offer",
    "OfferPrice",
    "OfferQuerySet",
    "OutreachPack",
    "PackHandover",
    "PlanAdvice",
    "RelaySale",
    "RelayStatement",
    "StockAlert",
]
