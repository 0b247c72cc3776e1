/**
 * The booking engine's "this time is taken" error is a ValidationError of
 * its own class; the web client only knows dialogs by exact class name, so
 * without this it showed the generic "Oops!" server error dialog instead of
 * the engine's message (journal drops, calendar moves, appointment saves).
 */
import {WarningDialog, odooExceptionTitleMap} from "@web/core/errors/error_dialogs";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";

const SLOT_TAKEN = "odoo.addons.beauty_crm.models.booking_errors.SlotTakenError";

odooExceptionTitleMap.set(SLOT_TAKEN, _t("This time is taken"));
registry.category("error_dialogs").add(SLOT_TAKEN, WarningDialog);
