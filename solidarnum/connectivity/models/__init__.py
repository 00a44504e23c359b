"""The connectivity models, one module per sub-area, all re-exported here."""

from .codes import Code, CodeEvent, CodeQuerySet, CodeTransfer, Delivery, StockAlert
from .offers import Offer, OfferPrice, OfferQuerySet
from .relays import Consignment, RelaySale, RelayStatement

__all__ = [
    "Code",
    "CodeEvent",
    "CodeQuerySet",
    "CodeTransfer",
    "Consignment",
    "Delivery",
    "Offer",
    "OfferPrice",
    "OfferQuerySet",
    "RelaySale",
    "RelayStatement",
    "StockAlert",
]
