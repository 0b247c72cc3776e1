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
            content: "The front desk board of today is shown",
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            content: "Open the appointment calendar",
            trigger: '.o_main_navbar a[data-menu-xmlid="beauty_crm.beauty_crm_menu_calendar"]',
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

registry.category("web_tour.tours").add("beauty_crm_procedure_validate", {
    url: "/odoo/action-beauty_crm.beauty_procedure_action",
    steps: () => [
        {
            content: "Open the draft procedure of the client",
            trigger: ".o_data_row .o_data_cell:contains(Tomas Tour)",
            run: "click",
        },
        {
            content: "The health alert is shown on the record",
            trigger: ".o_beauty_health_alert:contains(Test dye PPD)",
        },
        {
            content: "Open the materials",
            trigger: ".o_notebook .nav-link[name=materials]",
            run: "click",
        },
        {
            content: "Pick the lot of the filler",
            trigger: ".o_field_widget[name=material_line_ids] .o_data_row .o_data_cell[name=lot_id]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=material_line_ids] .o_field_widget[name=lot_id] input",
            run: "edit TFIL-001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(TFIL-001)",
            run: "click",
        },
        {
            content: "Validate the procedure",
            trigger: ".o_form_statusbar button[name=action_validate]",
            run: "click",
        },
        {
            content: "Confirm that the materials leave the stock",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The procedure is validated",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Validated)",
        },
    ],
});
