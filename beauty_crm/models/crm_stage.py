from odoo import fields, models

# The steps of a salon lead, in order: a lead only moves forward by itself.
BEAUTY_STEPS = [
    ("new", "New"),
    ("consultation_booked", "Consultation booked"),
    ("consultation_done", "Consultation done"),
    ("first_visit_done", "First visit done"),
]
STEP_ORDER = {step: index for index, (step, _label) in enumerate(BEAUTY_STEPS)}


class CrmStage(models.Model):
    _inherit = "crm.stage"

    beauty_step = fields.Selection(
        BEAUTY_STEPS,
        "Salon step",
        help="Which event of the salon moves a lead of this stage's team here: "
        "a consultation booked or done, the client's first paid visit done.",
    )
