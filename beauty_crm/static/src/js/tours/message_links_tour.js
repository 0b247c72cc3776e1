import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("beauty_message_link_confirm", {
    steps: () => [
        {
            content: "The reminder's link opens the visit with a button",
            trigger: ".o_beauty_message_link .o_beauty_summary",
        },
        {
            content: "Confirm coming",
            trigger: ".o_beauty_link_confirm",
            run: "click",
        },
        {
            content: "The cabinet page thanks the client",
            trigger: ".o_beauty_message:contains(Your visit is confirmed)",
        },
    ],
});

registry.category("web_tour.tours").add("beauty_message_link_cancel", {
    steps: () => [
        {
            content: "The reminder's cancel link opens the visit with a button",
            trigger: ".o_beauty_message_link .o_beauty_summary",
        },
        {
            content: "Cancel the visit",
            trigger: ".o_beauty_link_cancel",
            run: "click",
        },
        {
            content: "The cabinet page says the visit is cancelled",
            trigger: ".o_beauty_message:contains(Your visit is cancelled)",
        },
    ],
});
