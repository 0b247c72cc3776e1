from . import beauty_appointment_cancel
