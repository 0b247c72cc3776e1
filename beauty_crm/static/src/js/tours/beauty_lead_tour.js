import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** A visitor asks for a free consultation from the booking page. */
tours.add("beauty_consultation_request", {
    url: "/booking",
    steps: () => [
        {
            content: "Not sure: ask for a consultation",
            trigger: ".o_beauty_to_consultation",
            run: "click",
        },
        {content: "Name", trigger: "#beauty_name", run: "edit Tina Tour"},
        {content: "Phone", trigger: "#beauty_phone", run: "edit +7 912 555-07-07"},
        {content: "E-mail", trigger: "#beauty_email", run: "edit tina@example.com"},
        {content: "What for", trigger: "#beauty_interest", run: "edit Dry skin"},
        {content: "Send", trigger: ".o_beauty_consultation_submit", run: "click"},
        {
            content: "The salon has the request",
            trigger: '.o_beauty_consultation_done:contains("has your request")',
        },
    ],
});

/** The front desk calls back and books the consultation from the lead. */
tours.add("beauty_lead_book_consultation", {
    steps: () => [
        {
            content: "Open the request in the Salon pipeline",
            trigger: '.o_kanban_record:contains("Consultation request: Tina Tour")',
            run: "click",
        },
        {
            content: "Book consultation",
            trigger: "button.o_beauty_book_consultation",
            run: "click",
        },
        {
            content: "The first free time is proposed",
            trigger: '.modal div[name="start"] input',
        },
        {content: "Book", trigger: ".modal button.o_beauty_lead_book", run: "click"},
        {
            content: "The lead is in Consultation booked",
            trigger:
                '.o_statusbar_status button.o_arrow_button_current:contains("Consultation booked")',
        },
        {
            content: "Its consultation is on the lead",
            trigger: 'button[name="action_beauty_view_appointments"]:contains("1")',
        },
    ],
});
