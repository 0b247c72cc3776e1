import {registry} from "@web/core/registry";

function openKatya() {
    return [
        {
            content: "Salon clients carry a warning icon when they have an alert",
            trigger: ".o_data_row:contains(Katya Client) td[name=has_health_alert] .fa-exclamation-triangle",
        },
        {
            content: "Open the card of the client allergic to the dye",
            trigger: ".o_data_row:contains(Katya Client) td[name=complete_name]",
            run: "click",
        },
        {
            content: "The alert banner lists the allergy with its severity",
            trigger: ".o_form_view .o_beauty_health_alert:contains(Test dye PPD (Critical))",
        },
    ];
}

registry.category("web_tour.tours").add("beauty_crm_client_card_reception", {
    steps: () => [
        ...openKatya(),
        {
            content: "The front desk has the history tab",
            trigger: ".o_notebook a[name=beauty_history]",
        },
        {
            content: "... but no health tab",
            trigger: ".o_notebook:not(:has(a[name=beauty_health]))",
        },
    ],
});

registry.category("web_tour.tours").add("beauty_crm_client_card_specialist", {
    steps: () => [
        ...openKatya(),
        {
            content: "Open the health tab",
            trigger: ".o_notebook a[name=beauty_health]",
            run: "click",
        },
        {
            content: "The specialist sees the allergy itself",
            trigger: ".o_field_widget[name=allergen_ids] .o_tag:contains(Test dye PPD)",
        },
        {
            content: "Note a physiological finding",
            trigger: ".o_field_widget[name=physiological_notes] textarea",
            run: "edit Tremor of both hands, worse in the evening",
        },
        {
            content: "Leave the field",
            trigger: ".o_field_widget[name=medications] textarea",
            run: "click",
        },
        {
            content: "Save the card",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
