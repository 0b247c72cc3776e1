from odoo import api, fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    beauty_material_ids = fields.One2many(
        "beauty.procedure.material",
        "lot_id",
        string="Salon procedures",
        groups="beauty_crm.group_beauty_specialist",
    )
    beauty_client_count = fields.Integer(
        "Clients",
        compute="_compute_beauty_client_count",
        groups="beauty_crm.group_beauty_specialist",
    )

    @api.depends("beauty_material_ids.state")
    def _compute_beauty_client_count(self):
        for lot in self:
            lot.beauty_client_count = len(lot._beauty_recall_partners())

    def _beauty_recall_partners(self):
        """Every client who received this lot in a validated procedure."""
        return self.beauty_material_ids.filtered(
            lambda line: line.state == "done"
        ).partner_id

    def action_view_beauty_clients(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Clients who received lot %(lot)s", lot=self.name),
            "res_model": "beauty.procedure.material",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "beauty_crm.beauty_procedure_material_view_list_trace"
                    ).id,
                    "list",
                )
            ],
            "domain": [("lot_id", "=", self.id), ("state", "=", "done")],
            "context": {"create": False, "group_by": ["partner_id"]},
        }
