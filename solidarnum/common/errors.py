"""The one refusal error of the product.

A service (or a reader of uploaded files) that refuses an action raises `ServiceError` with a
French message written for the person who asked; views show it as is (a form error or a message)
and nothing is saved. Anything else raised is a bug, not a refusal.
"""


class ServiceError(Exception):
    """A refused action; the message is French and shown as is."""
