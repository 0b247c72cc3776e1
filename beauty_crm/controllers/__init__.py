from . import portal
from . import booking
from . import portal_appointment
