from . import beauty_loyalty_redeem_wizard
