from . import test_security
from . import test_ui
from . import test_scheduling
from . import test_website_booking
from . import test_portal_appointment
from . import test_client_card
from . import test_client_privacy
from . import test_website_booking_tour
