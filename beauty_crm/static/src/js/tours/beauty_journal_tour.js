import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("beauty_crm_journal", {
    steps: () => [
        {
            content: "One lane per specialist",
            trigger: ".o_beauty_journal .vis-label:contains(Sofia Specialist)",
        },
        {
            trigger: ".o_beauty_journal .vis-label:contains(Vera Journal)",
        },
        {
            content: "The visit is a block in its specialist's lane",
            trigger: ".o_beauty_journal .vis-item:contains(Katya Client · Test hair colouring)",
        },
        {
            trigger: ".o_beauty_journal .vis-item:contains(Olga Journal)",
        },
    ],
});
