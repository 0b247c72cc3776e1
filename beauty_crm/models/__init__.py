from . import beauty_allergen
from . import beauty_contraindication
from . import res_partner
from . import product_template
from . import hr_employee
from . import hr_employee_public
from . import beauty_appointment
from . import beauty_appointment_line
