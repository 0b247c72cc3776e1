from datetime import timedelta

from odoo import api, models

from .booking_errors import SlotTakenError

# A visitor with "any specialist" is offered at most this many other
# specialists (or rooms) at the same time before hearing that it is taken.
MAX_BOOKING_TRIES = 6


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    @api.model
    def find_slot(self, products, start, employee=None, tz=None, **options):
        """The visit :meth:`get_available_slots` offers at exactly ``start``
        (naive UTC), or None; ``options`` are passed on (``online``,
        ``exclude_appointment``, ``skip_resource_ids``)."""
        slots = self.get_available_slots(
            products,
            start,
            start + timedelta(minutes=1),
            employee=employee or None,
            tz=tz,
            **options,
        )
        return next((slot for slot in slots if slot["start"] == start), None)

    @api.model
    def book_online(self, partner, products, start, employee=None, tz=None):
        """Book ``products`` at ``start`` for ``partner`` on the website, with
        ``employee`` or, when None, any free specialist.

        The database judges concurrent bookings (exclusion constraint on the
        busy blocks). A try that loses its specialist or room to a concurrent
        booking is rolled back to its savepoint and planned again at the same
        time without that resource: this transaction's snapshot cannot see the
        winner's booking, so the engine is told what it has lost.

        :return: the new draft beauty.appointment.
        :raise SlotTakenError: when nobody is free at that time any more.
        :raise ValidationError: when the client's card forbids a service.
        :raise UserError: on bad input.
        """
        skipped = set()
        for _attempt in range(MAX_BOOKING_TRIES):
            slot = self.find_slot(
                products,
                start,
                employee=employee,
                tz=tz,
                online=True,
                skip_resource_ids=skipped,
            )
            if not slot:
                break
            try:
                with self.env.cr.savepoint():
                    return self.book(partner, slot["lines"], channel="website")
            except SlotTakenError as error:
                lost = {error.resource_id} if error.resource_id else set()
                if not lost & self._plan_resource_ids(slot["lines"]):
                    # Unknown which one was taken: none of them is trusted.
                    lost = self._plan_resource_ids(slot["lines"])
                skipped |= lost
        raise SlotTakenError(
            self.env._(
                "Sorry, this time has just been booked by someone else. "
                "Please choose another time."
            )
        )

    def _plan_resource_ids(self, lines):
        employees = (
            self.env["hr.employee"]
            .sudo()
            .browse([line["employee_id"] for line in lines])
        )
        return set(employees.resource_id.ids) | {
            line["room_id"] for line in lines if line.get("room_id")
        }
