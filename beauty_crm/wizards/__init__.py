from . import beauty_appointment_cancel
from . import beauty_loyalty_redeem_wizard
from . import beauty_campaign_wizard
from . import beauty_lead_consultation
