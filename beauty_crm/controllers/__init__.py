from . import portal
from . import booking
from . import portal_appointment
from . import message_links
from . import portal_messenger
from . import booking_consultation
from . import helpdesk
