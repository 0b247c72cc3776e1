from . import test_security
from . import test_ui
from . import test_billing
from . import test_deposit
from . import test_loyalty
from . import test_commission
