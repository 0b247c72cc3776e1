import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("beauty_crm_salon_dashboard", {
    steps: () => [
        {
            content: "The Dashboards app lists the Salon dashboard",
            trigger: ".o_search_panel_category_value:contains(Salon)",
            run: "click",
        },
        {
            content: "The dashboard loads its figures without an error",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer canvas",
        },
        {
            content: "... and offers the branch filter",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status.error))",
        },
    ],
});
