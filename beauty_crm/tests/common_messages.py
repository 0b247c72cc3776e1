from datetime import datetime

from odoo.addons.mail.tests.common import MockEmail

from .common import NOW, BeautyCommon

# Friday 6 March 2026, 12:00 in Moscow (UTC+3): two days after NOW.
VISIT = datetime(2026, 3, 6, 9, 0, 0)


class BeautyMessageCommon(BeautyCommon, MockEmail):
    """A client with an e-mail address and a mobile number, a service
    without allergens and helpers to book and run the message jobs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "beauty_reminder_hours": 24,
                "beauty_reminder_channel": "email",
                "beauty_reminder2_hours": 2,
                "beauty_reminder2_channel": "sms",
                "beauty_quiet_start": 21,
                "beauty_quiet_end": 9,
                "beauty_review_delay_hours": 2,
                "beauty_winback_days": 60,
                "beauty_sms_provider": "odoo",
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Test facial",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 3000,
                "specialist_ids": [(4, cls.specialist.id)],
            }
        )
        cls.guest = cls.env["res.partner"].create(
            {
                "name": "Masha Message",
                "is_salon_client": True,
                "email": "masha@example.com",
                "mobile": "+79161234567",
                "tz": "Europe/Moscow",
                "lang": "en_US",
            }
        )
        cls.Message = cls.env["beauty.message"]

    def _book(self, start=VISIT, partner=None, confirm=True):
        appointment = self.env["beauty.appointment"].create(
            {
                "partner_id": (partner or self.guest).id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.service.id,
                            "employee_id": self.specialist.id,
                            "start": start,
                        },
                    )
                ],
            }
        )
        if confirm:
            appointment.action_confirm()
        return appointment

    def _messages(self, appointment, kind=None, state=None):
        domain = [("appointment_id", "=", appointment.id)]
        if kind:
            domain.append(("kind", "=", kind))
        if state:
            domain.append(("state", "=", state))
        return self.Message.search(domain, order="id")

    def _consent(self, partner, kind, state="given"):
        self.env["beauty.consent"].create(
            {"partner_id": partner.id, "kind": kind, "state": state, "version": "T1"}
        )


__all__ = ["NOW", "VISIT", "BeautyMessageCommon"]
