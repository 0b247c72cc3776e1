import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import hmac

RATE_LIMIT_PARAMETER = "beauty_crm.booking_rate_limit"
DEFAULT_RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)


class BeautyBookingAttempt(models.Model):
    """One public booking submission, kept a day to rate-limit visitors.

    Stores a keyed hash of the visitor's IP address, never the address, so
    the table says nothing about who visited the salon's website."""

    _name = "beauty.booking.attempt"
    _description = "Online booking attempt"
    _order = "id desc"

    visitor_hash = fields.Char(required=True, index=True, readonly=True)
    kind = fields.Selection(
        [("booking", "Booking"), ("code", "One-time code")],
        required=True,
        default="booking",
        readonly=True,
    )

    @api.model
    def _visitor_hash(self, address):
        digest = hmac(self.env(su=True), "beauty_booking_visitor", address or "")
        return hashlib.sha256(digest.encode()).hexdigest()[:32]

    @api.model
    def _allow(self, address, kind="booking"):
        """Record a submission of ``kind`` (a booking, or a request for a
        one-time code) from ``address``; False when the visitor has already
        sent the allowed number of them in the last minutes."""
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RATE_LIMIT_PARAMETER, DEFAULT_RATE_LIMIT)
        )
        visitor = self._visitor_hash(address)
        recent = self.sudo().search_count(
            [
                ("visitor_hash", "=", visitor),
                ("kind", "=", kind),
                ("create_date", ">", fields.Datetime.now() - RATE_WINDOW),
            ]
        )
        if recent >= limit:
            return False
        self.sudo().create({"visitor_hash": visitor, "kind": kind})
        return True

    @api.autovacuum
    def _gc_attempts(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
