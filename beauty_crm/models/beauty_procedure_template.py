from odoo import fields, models


class BeautyProcedureTemplate(models.Model):
    _name = "beauty.procedure.template"
    _description = "Procedure record template"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    # Structured parameters a manager defines per kind of service (device
    # settings, product concentration, injection points...); each procedure
    # stores its own values in beauty.procedure.parameters.
    parameter_definition = fields.PropertiesDefinition("Parameters")
    service_ids = fields.One2many(
        "product.template", "procedure_template_id", string="Services"
    )
    note = fields.Text(
        "Instructions", translate=True, help="What the specialist should record."
    )
