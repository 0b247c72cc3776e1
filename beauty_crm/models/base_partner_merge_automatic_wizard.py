from odoo import models

# Stored fields of the client card computed from records the merge wizard
# moves with plain SQL (appointments, consents, allergies).
MERGE_RECOMPUTE = (
    "has_health_alert",
    "consent_treatment",
    "consent_marketing_email",
    "consent_marketing_sms",
    "consent_marketing_messenger",
    "consent_marketing_telegram",
    "consent_marketing_whatsapp",
    "consent_photo",
    "visit_count",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # Runs after the foreign keys moved to the kept contact: recompute its
        # card before the values of the others are copied onto it (its photo
        # needs the photo consent that just came over).
        self.env.invalidate_all()
        for fname in MERGE_RECOMPUTE:
            self.env.add_to_compute(dst_partner._fields[fname], dst_partner)
        dst_partner._recompute_recordset()
        return super()._update_values(src_partners, dst_partner)
