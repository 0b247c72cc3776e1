import publicWidget from "@web/legacy/js/public/public_widget";
import {cookie} from "@web/core/browser/cookie";

/**
 * Online booking: tell the server the visitor's time zone, so that free
 * times are shown on the visitor's clock.
 */
publicWidget.registry.BeautyBooking = publicWidget.Widget.extend({
    selector: ".o_beauty_booking",

    start() {
        const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (tz) {
            if (cookie.get("tz") !== tz) {
                cookie.set("tz", tz, 30 * 24 * 3600);
            }
            for (const input of this.el.querySelectorAll('input[name="tz"]')) {
                if (!input.value) {
                    input.value = tz;
                }
            }
        }
        return this._super(...arguments);
    },
});
