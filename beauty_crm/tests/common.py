from datetime import datetime

from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

# A Wednesday; tests that depend on "now" freeze the clock here.
NOW = datetime(2026, 3, 4, 9, 0, 0)


class BeautyCommon(TransactionCase):
    """One user per salon role, a specialist with salon hours and a client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_receptionist = mail_new_test_user(
            cls.env,
            login="bc_reception",
            name="Rita Reception",
            groups="beauty_crm.group_beauty_receptionist",
            tz="Europe/Moscow",
        )
        cls.user_specialist = mail_new_test_user(
            cls.env,
            login="bc_specialist",
            name="Sofia Specialist",
            groups="beauty_crm.group_beauty_specialist",
            tz="Europe/Moscow",
        )
        cls.user_manager = mail_new_test_user(
            cls.env,
            login="bc_manager",
            name="Mila Manager",
            groups="beauty_crm.group_beauty_manager",
            tz="Europe/Moscow",
        )
        cls.user_employee = mail_new_test_user(
            cls.env, login="bc_employee", name="Eva Employee", groups="base.group_user"
        )
        cls.user_portal = mail_new_test_user(
            cls.env, login="bc_portal", name="Paula Portal", groups="base.group_portal"
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Salon 10-20",
                "tz": "Europe/Moscow",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 10,
                            "hour_to": 20,
                            "day_period": "morning",
                        },
                    )
                    for day in range(6)
                ],
            }
        )
        cls.specialist = cls.env["hr.employee"].create(
            {
                "name": "Sofia Specialist",
                "user_id": cls.user_specialist.id,
                "is_specialist": True,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Moscow",
            }
        )
        cls.allergen_ppd = cls.env["beauty.allergen"].create(
            {"name": "Test dye PPD", "ingredient": "PPD", "severity": "critical"}
        )
        cls.service_colour = cls.env["product.product"].create(
            {
                "name": "Test hair colouring",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 2.0,
                "list_price": 7000,
                "specialist_ids": [(4, cls.specialist.id)],
                "allergen_ids": [(4, cls.allergen_ppd.id)],
            }
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Katya Client",
                "is_salon_client": True,
                "email": "katya@example.com",
                "allergen_ids": [(4, cls.allergen_ppd.id)],
            }
        )
