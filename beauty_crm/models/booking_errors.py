"""Exceptions of the booking engine that callers tell apart."""

from odoo.exceptions import ValidationError


class SlotTakenError(ValidationError):
    """The time of a planned visit is taken by another appointment.

    ``resource_id`` is the specialist's or room's resource.resource id when
    known, so that a caller may plan the same time with another one."""

    def __init__(self, message, resource_id=None):
        super().__init__(message)
        self.resource_id = resource_id
