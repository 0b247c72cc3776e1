from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import NOW, BeautyCommon

# A 1x1 PNG, enough for an Image field.
PNG = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    b"AAAABJRU5ErkJggg=="
)


class ProcedureCommon(BeautyCommon):
    """Materials in the branch's stock (a lot-tracked filler with a good and
    an expired lot, an untracked dye), a filler service with its kit, a
    second specialist and a second client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.consumption = cls.env.ref("beauty_crm.stock_location_salon_consumption")
        cls.filler = cls.env["product.product"].create(
            {
                "name": "Test filler 1 ml",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "standard_price": 100.0,
            }
        )
        cls.dye = cls.env["product.product"].create(
            {
                "name": "Test dye 7.1",
                "type": "consu",
                "is_storable": True,
                "standard_price": 10.0,
            }
        )
        Lot = cls.env["stock.lot"]
        cls.lot = Lot.create(
            {
                "name": "TFIL-001",
                "product_id": cls.filler.id,
                "expiration_date": NOW + relativedelta(years=1),
            }
        )
        cls.lot_expired = Lot.create(
            {
                "name": "TFIL-OLD",
                "product_id": cls.filler.id,
                "expiration_date": NOW - relativedelta(days=10),
            }
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.filler, cls.stock, 5, lot_id=cls.lot)
        Quant._update_available_quantity(
            cls.filler, cls.stock, 5, lot_id=cls.lot_expired
        )
        Quant._update_available_quantity(cls.dye, cls.stock, 10)
        cls.template = cls.env["beauty.procedure.template"].create(
            {
                "name": "Test injections",
                "parameter_definition": [
                    {
                        "name": "technique",
                        "string": "Technique",
                        "type": "selection",
                        "selection": [["needle", "Needle"], ["cannula", "Cannula"]],
                    },
                    {"name": "points", "string": "Injection points", "type": "integer"},
                ],
            }
        )
        cls.service_filler = cls.env["product.product"].create(
            {
                "name": "Test lip filler",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 15000,
                "repeat_interval_days": 180,
                "procedure_template_id": cls.template.id,
                "specialist_ids": [Command.link(cls.specialist.id)],
                "kit_line_ids": [
                    Command.create({"product_id": cls.filler.id, "quantity": 1}),
                    Command.create({"product_id": cls.dye.id, "quantity": 2}),
                ],
            }
        )
        cls.user_specialist2 = mail_new_test_user(
            cls.env,
            login="bc_specialist2",
            name="Olga Other",
            groups="beauty_crm.group_beauty_specialist",
        )
        cls.specialist2 = cls.env["hr.employee"].create(
            {
                "name": "Olga Other",
                "user_id": cls.user_specialist2.id,
                "is_specialist": True,
            }
        )
        cls.client2 = cls.env["res.partner"].create(
            {"name": "Vera Second", "is_salon_client": True}
        )
        cls._give_consent(cls.client | cls.client2, "treatment")

    @classmethod
    def _give_consent(cls, partners, kind):
        cls.env["beauty.consent"].create(
            [
                {"partner_id": partner.id, "kind": kind, "version": "test-1"}
                for partner in partners
            ]
        )

    @contextmanager
    def assertRaisesMessage(self, exception, text):
        """assertRaises (which rolls back the failed operation, unlike
        assertRaisesRegex) and the message the user reads."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def _procedure(self, **values):
        return self.env["beauty.procedure"].create(
            {
                "partner_id": self.client.id,
                "employee_id": self.specialist.id,
                "product_id": self.service_filler.id,
                "date": NOW,
                **values,
            }
        )

    def _filler_procedure(self, quantity=1.0, lot=None, **values):
        procedure = self._procedure(**values)
        procedure.material_line_ids = [
            Command.clear(),
            Command.create(
                {
                    "product_id": self.filler.id,
                    "quantity": quantity,
                    "lot_id": (lot or self.lot).id,
                }
            ),
        ]
        return procedure

    def _available(self, product, lot=None, location=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location or self.stock, lot_id=lot, strict=True
        )

    def _consumed(self, product, lot=None):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", self.consumption.id),
                ("lot_id", "=", lot.id if lot else False),
            ]
        )
        return sum(quants.mapped("quantity"))


@tagged("post_install", "-at_install")
class TestProcedure(ProcedureCommon):
    def test_prefilled_from_service(self):
        procedure = self._procedure()
        self.assertEqual(procedure.state, "draft")
        self.assertTrue(procedure.name.startswith("PRC/"))
        self.assertEqual(
            procedure.material_line_ids.mapped("product_id"), self.filler | self.dye
        )
        self.assertEqual(procedure.material_line_ids.mapped("quantity"), [1.0, 2.0])
        self.assertEqual(
            procedure.next_visit_date, (NOW + relativedelta(days=180)).date()
        )
        self.assertEqual(procedure.location_id, self.stock)
        self.assertEqual(procedure.template_id, self.template)
        self.assertEqual(procedure.health_alert, self.client.health_alert)
        # The estimate before validation: standard cost times quantity.
        self.assertAlmostEqual(procedure.material_cost, 100.0 + 2 * 10.0)

    def test_structured_parameters(self):
        procedure = self._procedure(parameters={"technique": "cannula", "points": 6})
        self.assertEqual(procedure.parameters["technique"], "cannula")
        self.assertEqual(
            procedure._get_parameter_lines(),
            [("Technique", "Cannula"), ("Injection points", 6)],
        )

    def test_validate_consumes_stock_with_lots(self):
        procedure = self._procedure()
        procedure.material_line_ids.filtered(
            lambda line: line.product_id == self.filler
        ).write({"lot_id": self.lot.id, "quantity": 2})
        procedure.action_validate()
        self.assertEqual(procedure.state, "done")
        # The record keeps the treatment consent it was done under.
        self.assertEqual(procedure.consent_id.partner_id, self.client)
        self.assertEqual(procedure.consent_id.kind, "treatment")
        self.assertEqual(self._available(self.filler, self.lot), 3)
        self.assertEqual(self._available(self.filler, self.lot_expired), 5)
        self.assertEqual(self._available(self.dye), 8)
        self.assertEqual(self._consumed(self.filler, self.lot), 2)
        self.assertEqual(self._consumed(self.dye), 2)
        moves = procedure.material_line_ids.move_id
        self.assertEqual(len(moves), 2)
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(moves.move_line_ids.lot_id, self.lot)
        self.assertEqual(moves.location_dest_id, self.consumption)
        # Cost from the stock valuation of the moves.
        self.assertAlmostEqual(procedure.material_cost, 2 * 100.0 + 2 * 10.0)
        with self.assertRaises(UserError):
            procedure.action_validate()

    def test_cancel_returns_materials(self):
        procedure = self._filler_procedure(quantity=2)
        procedure.action_validate()
        self.assertEqual(self._available(self.filler, self.lot), 3)
        procedure.action_cancel()
        self.assertEqual(procedure.state, "cancelled")
        self.assertEqual(self._available(self.filler, self.lot), 5)
        self.assertEqual(self._consumed(self.filler, self.lot), 0)
        line = procedure.material_line_ids
        self.assertEqual(line.return_move_id.state, "done")
        self.assertEqual(line.return_move_id.move_line_ids.lot_id, self.lot)
        self.assertAlmostEqual(procedure.material_cost, 0.0)
        self.assertFalse(self.lot._beauty_recall_partners())

    def test_validated_procedure_cannot_be_deleted(self):
        procedure = self._filler_procedure()
        procedure.action_validate()
        with self.assertRaises(UserError):
            procedure.unlink()
        self.assertTrue(procedure.exists())

    def test_tracked_material_requires_lot(self):
        procedure = self._procedure()
        with self.assertRaisesMessage(UserError, "Test filler 1 ml is tracked by lot"):
            procedure.action_validate()
        self.assertEqual(procedure.state, "draft")
        self.assertFalse(procedure.material_line_ids.move_id)
        # The dye line was fine, yet nothing was consumed.
        self.assertEqual(self._available(self.dye), 10)

    def test_expired_lot_refused(self):
        procedure = self._filler_procedure(lot=self.lot_expired)
        with self.assertRaisesMessage(
            UserError, "Lot TFIL-OLD of Test filler 1 ml expired"
        ):
            procedure.action_validate()
        self.assertEqual(self._available(self.filler, self.lot_expired), 5)
        self.assertEqual(procedure.state, "draft")

    def test_insufficient_stock_clear_message(self):
        procedure = self._procedure()
        procedure.material_line_ids.filtered(
            lambda line: line.product_id == self.filler
        ).lot_id = self.lot
        procedure.material_line_ids.filtered(
            lambda line: line.product_id == self.dye
        ).quantity = 12
        with self.assertRaises(UserError) as error:
            procedure.action_validate()
        message = str(error.exception)
        self.assertIn(
            f"Not enough Test dye 7.1 in {self.stock.display_name}: "
            "10.0 Units available, 12.0 Units needed",
            message,
        )
        self.assertNotIn("Test filler", message)
        self.assertEqual(procedure.state, "draft")
        self.assertEqual(self._available(self.dye), 10)
        self.assertEqual(self._available(self.filler, self.lot), 5)

    def test_same_lot_on_two_lines_is_counted_once(self):
        procedure = self._filler_procedure(quantity=3)
        procedure.material_line_ids = [
            Command.create(
                {"product_id": self.filler.id, "quantity": 3, "lot_id": self.lot.id}
            )
        ]
        with self.assertRaisesMessage(
            UserError, "5.0 Units available, 6.0 Units needed"
        ):
            procedure.action_validate()

    def test_procedures_validated_together_share_the_stock(self):
        first = self._filler_procedure(quantity=3)
        second = self._filler_procedure(quantity=3, partner_id=self.client2.id)
        with self.assertRaisesMessage(
            UserError, "5.0 Units available, 6.0 Units needed"
        ) as caught:
            (first | second).action_validate()
        self.assertIn(first.name, str(caught.exception))
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])
        self.assertEqual(self._available(self.filler, self.lot), 5)

    def test_bad_input(self):
        with self.assertRaisesMessage(ValidationError, "must be positive"):
            self._filler_procedure(quantity=-1)
        with self.assertRaisesMessage(ValidationError, "must be positive"):
            self._filler_procedure(quantity=0)
        with self.assertRaisesMessage(ValidationError, "is not a material"):
            self._procedure(
                material_line_ids=[
                    Command.create(
                        {"product_id": self.service_colour.id, "quantity": 1}
                    )
                ]
            )
        other_lot = self.env["stock.lot"].create(
            {"name": "TDYE-1", "product_id": self.dye.id}
        )
        with self.assertRaisesMessage(ValidationError, "is a lot of Test dye 7.1"):
            self._filler_procedure(lot=other_lot)
        with self.assertRaisesMessage(ValidationError, "cannot measure"):
            self._procedure(
                material_line_ids=[
                    Command.create(
                        {
                            "product_id": self.dye.id,
                            "quantity": 1,
                            "product_uom_id": self.env.ref("uom.product_uom_kgm").id,
                        }
                    )
                ]
            )
        with self.assertRaisesMessage(ValidationError, "must be positive"):
            self.service_filler.kit_line_ids[0].quantity = -2
        with self.assertRaisesMessage(ValidationError, "is not a material"):
            self.service_filler.kit_line_ids = [
                Command.create({"product_id": self.service_colour.id, "quantity": 1})
            ]
        with self.assertRaises(ValidationError):
            self.service_filler.repeat_interval_days = -5
        self.assertEqual(self.service_filler.kit_line_ids.mapped("quantity"), [1, 2])

    def test_photo_needs_photo_consent(self):
        procedure = self._filler_procedure()
        if self.client.consent_photo:
            self.skipTest("the test client has a photo consent")
        with self.assertRaisesMessage(ValidationError, "consent to photographs"):
            procedure.photo_before = PNG
        self.assertFalse(procedure.photo_before)

    def test_validation_needs_treatment_consent(self):
        procedure = self._filler_procedure(partner_id=self.client2.id)
        self.env["beauty.consent"].create(
            {
                "partner_id": self.client2.id,
                "kind": "treatment",
                "state": "withdrawn",
                "version": "test-1",
            }
        )
        self.assertFalse(self.client2.consent_treatment)
        with self.assertRaisesMessage(UserError, "has not given the consent"):
            procedure.action_validate()
        self.assertEqual(procedure.state, "draft")
        self.assertFalse(procedure.consent_id)

    def test_photo_with_photo_consent(self):
        procedure = self._filler_procedure()
        self._give_consent(self.client, "photo")
        procedure.photo_before = PNG
        self.assertTrue(procedure.photo_before)

    def test_recall_from_lot_and_lots_of_client(self):
        first = self._filler_procedure()
        second = self._filler_procedure(partner_id=self.client2.id)
        draft = self._filler_procedure(partner_id=self.user_portal.partner_id.id)
        (first | second).action_validate()
        self.assertEqual(self.lot._beauty_recall_partners(), self.client | self.client2)
        self.assertEqual(self.lot.beauty_client_count, 2)
        self.assertNotIn(draft.partner_id, self.lot._beauty_recall_partners())
        action = self.lot.action_view_beauty_clients()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(lines.partner_id, self.client | self.client2)
        self.assertEqual(self.client._beauty_received_lots(), self.lot)
        self.assertFalse(self.lot_expired._beauty_recall_partners())
        self.assertEqual(self.client.procedure_count, 1)

    def test_from_appointment_line(self):
        appointment = self.env["beauty.appointment"].create(
            {
                "partner_id": self.client.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.service_filler.id,
                            "employee_id": self.specialist.id,
                            "start": NOW,
                        }
                    )
                ],
            }
        )
        line = appointment.line_ids
        with self.assertRaises(ValidationError):
            line.action_create_procedure()
        appointment.state = "done"
        action = line.action_create_procedure()
        procedure = self.env["beauty.procedure"].browse(action["res_id"])
        self.assertEqual(procedure.appointment_id, appointment)
        self.assertEqual(procedure.partner_id, self.client)
        self.assertEqual(procedure.employee_id, self.specialist)
        self.assertEqual(procedure.date, NOW)
        self.assertEqual(len(procedure.material_line_ids), 2)
        self.assertEqual(line.action_create_procedure()["res_id"], procedure.id)
        self.assertEqual(appointment.procedure_count, 1)
