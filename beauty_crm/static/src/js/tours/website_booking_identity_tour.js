import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("beauty_booking_known_phone", {
    url: "/booking",
    steps: () => [
        {
            content: "Tick the manicure",
            trigger: '.o_beauty_service_card:contains("Test manicure") input[name="service_ids"]',
            run: "click",
        },
        {content: "Go to the free times", trigger: ".o_beauty_to_slots", run: "click"},
        {
            content: "Choose tomorrow",
            trigger: ".o_beauty_days a.o_beauty_day:eq(1)",
            run: "click",
        },
        {
            content: "Choose the first free time",
            trigger: ".o_beauty_slots a.o_beauty_slot:eq(0)",
            run: "click",
        },
        {content: "Name", trigger: "#beauty_name", run: "edit Katya Again"},
        {content: "A known phone", trigger: "#beauty_phone", run: "edit +7 916 111-22-33"},
        {content: "Code by SMS", trigger: "#beauty_code_sms", run: "click"},
        {content: "Ask for a code", trigger: ".o_beauty_send_code", run: "click"},
        {
            content: "The same answer for any number",
            trigger: '.o_beauty_booking_info:contains("sent it a code by SMS")',
        },
        {content: "The form is kept", trigger: "#beauty_phone:value(+7 916 111-22-33)"},
        {content: "A wrong code", trigger: "#beauty_code", run: "edit 0000000"},
        {content: "Book", trigger: ".o_beauty_submit", run: "click"},
        {
            content: "Refused",
            trigger: '.o_beauty_booking_error:contains("code is wrong or has expired")',
        },
        {content: "Book without a code", trigger: "#beauty_code", run: "clear"},
        {content: "Book", trigger: ".o_beauty_submit", run: "click"},
        {content: "A hold", trigger: '.o_beauty_hold:contains("held for you")'},
    ],
});
