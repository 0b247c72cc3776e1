import {registry} from "@web/core/registry";

function column(title) {
    return `.o_kanban_group:has(.o_column_title:contains(${title}))`;
}
const katya = ".o_kanban_record:contains(Katya Client)";

registry.category("web_tour.tours").add("beauty_crm_front_desk_board", {
    steps: () => [
        {
            content: "The day's arrivals are expected at the local time, the earliest first",
            trigger: `${column("Expected")} ${katya}:contains(04:00–06:00) ~ .o_kanban_record:contains(Tanya Tour):contains(07:00–09:00)`,
        },
        {
            content: "Check the client in",
            trigger: `${column("Expected")} ${katya} button[name=action_arrive]`,
            run: "click",
        },
        {
            content: "The client waits in the Arrived column",
            trigger: `${column("Arrived")} ${katya} .o_beauty_desk_status:contains(Waiting)`,
        },
        {
            content: "Take the client to the chair",
            trigger: `${column("Arrived")} ${katya} button[name=action_start]`,
            run: "click",
        },
        {
            content: "The client is in the chair",
            trigger: `${column("In the chair")} ${katya} .o_beauty_desk_status:contains(In the chair since)`,
        },
        {
            content: "Finish the visit",
            trigger: `${column("In the chair")} ${katya} button[name=action_done]`,
            run: "click",
        },
        {
            content: "Check the client out",
            trigger: `${column("Done")} ${katya} button[name=action_beauty_checkout]`,
            run: "click",
        },
        {
            content: "The visit's invoice opens, ready to confirm",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row:contains(Test hair colouring):contains(Sofia Specialist)",
        },
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view .o_form_statusbar button[name=action_post]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_statusbar button[name=action_register_payment]",
        },
        {
            content: "Back to the board",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Today)",
            run: "click",
        },
        {
            content: "Check out again: the invoice is confirmed, the client pays",
            trigger: `${column("Done")} ${katya} button[name=action_beauty_checkout]`,
            run: "click",
        },
        {
            trigger: ".modal button[name=action_create_payments]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
