import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** From the services page to the contact form of the first free time. */
function chooseFirstSlot() {
    return [
        {
            content: "Tick the manicure",
            trigger: '.o_beauty_service_card:contains("Test manicure") input[name="service_ids"]',
            run: "click",
        },
        {
            content: "Go to the free times",
            trigger: ".o_beauty_to_slots",
            run: "click",
        },
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
    ];
}

function fillContact(name, phone) {
    return [
        {content: "Name", trigger: "#beauty_name", run: `edit ${name}`},
        {content: "Phone", trigger: "#beauty_phone", run: `edit ${phone}`},
        {content: "E-mail", trigger: "#beauty_email", run: "edit new.client@example.com"},
    ];
}

tours.add("beauty_booking_new_client_deposit", {
    url: "/booking",
    steps: () => [
        ...chooseFirstSlot(),
        ...fillContact("Nina Newclient", "+7 912 555-01-01"),
        {content: "Book", trigger: ".o_beauty_submit", run: "click"},
        {
            content: "The deposit is asked",
            trigger: '.o_beauty_hold:contains("Pay the deposit")',
        },
        {
            content: "Choose the demo payment",
            trigger: 'input[name="o_payment_radio"][data-provider-code="demo"]',
            run: "click",
        },
        {content: "Card", trigger: "#customer_input", run: "edit 4242424242424242"},
        {content: "Pay", trigger: 'button[name="o_payment_submit_button"]', run: "click"},
        {
            content: "The visit is confirmed",
            trigger: '.o_beauty_state[data-state="confirmed"]',
            timeout: 20000,
        },
    ],
});

tours.add("beauty_booking_reschedule", {
    url: "/my/appointments",
    steps: () => [
        {content: "Open the visit", trigger: ".o_beauty_portal_row a", run: "click"},
        {content: "Move it", trigger: ".o_beauty_reschedule", run: "click"},
        {
            content: "Another day",
            trigger: "a.o_beauty_day:not(.btn-primary):eq(5)",
            run: "click",
        },
        {content: "A new time", trigger: "button.o_beauty_slot:eq(0)", run: "click"},
        {content: "Moved", trigger: '.o_beauty_message:contains("has been moved")'},
    ],
});

tours.add("beauty_booking_cancel", {
    url: "/my/appointments",
    steps: () => [
        {content: "Open the visit", trigger: ".o_beauty_portal_row a", run: "click"},
        {content: "Reason", trigger: 'input[name="reason"]', run: "edit Feeling ill"},
        {content: "Cancel it", trigger: ".o_beauty_cancel", run: "click"},
        {content: "Cancelled", trigger: '.o_beauty_state[data-state="cancelled"]'},
    ],
});

tours.add("beauty_booking_slot_taken", {
    url: "/booking",
    steps: () => [
        ...chooseFirstSlot(),
        ...fillContact("Tanya Late", "+7 912 555-02-02"),
        {
            content: "Someone else books the same time meanwhile",
            trigger: ".o_beauty_contact_form",
            async run() {
                const form = document.querySelector(".o_beauty_contact_form");
                const data = new FormData(form);
                data.set("name", "Quick Rival");
                data.set("phone", "+7 912 555-03-03");
                data.set("email", "");
                await fetch(form.action, {method: "POST", body: data});
            },
        },
        {content: "Book", trigger: ".o_beauty_submit", run: "click"},
        {
            content: "A friendly message, the form is kept",
            trigger: '.o_beauty_booking_error:contains("just been booked")',
        },
        {content: "Still on the contact form", trigger: "#beauty_name:value(Tanya Late)"},
    ],
});
