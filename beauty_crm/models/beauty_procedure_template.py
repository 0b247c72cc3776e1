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
    # Care after the procedure (issue #15): sent to the client when the visit
    # is done, then the desk calls after the follow-up delay.
    aftercare_instructions = fields.Html(
        "After-care instructions",
        translate=True,
        sanitize=True,
        help="Sent to the client by e-mail (SMS: a link to them) when a visit "
        "with a service of this template is done.",
    )
    aftercare_followup_days = fields.Integer(
        "Follow-up call after (days)",
        help="The front desk gets a call activity this many days after the "
        "visit (0: no call).",
    )

    _sql_constraints = [
        (
            "aftercare_followup_days_positive",
            "check(aftercare_followup_days >= 0)",
            "The follow-up delay cannot be negative.",
        ),
    ]
