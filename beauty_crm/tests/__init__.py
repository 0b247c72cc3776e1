from . import test_security
from . import test_ui
from . import test_scheduling
from . import test_booking_concurrency
from . import test_client_card
from . import test_client_privacy
from . import test_procedure
from . import test_procedure_portal
