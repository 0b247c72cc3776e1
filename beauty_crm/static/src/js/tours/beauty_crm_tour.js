import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("beauty_crm_open_salon", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Salon app",
            trigger: '.o_app[data-menu-xmlid="beauty_crm.beauty_crm_menu_root"]',
            run: "click",
        },
        {
            content: "The appointment calendar is shown",
            trigger: ".o_calendar_view",
        },
        {
            content: "Open the client list",
            trigger: '.o_main_navbar a[data-menu-xmlid="beauty_crm.beauty_crm_menu_clients"]',
            run: "click",
        },
        {
            content: "The client list is shown",
            trigger: ".o_list_view, .o_view_nocontent",
        },
    ],
});
