import {registry} from "@web/core/registry";

// The journal is OCA's vis-timeline, driven by hammer.js pointer events: the
// steps below press, move and release a real pointer over the lanes.

const DAY_MS = 24 * 3600 * 1000;

function pause(ms = 30) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function labels() {
    return [...document.querySelectorAll(".o_beauty_journal .vis-labelset .vis-label")];
}

/** The lane (foreground row) of a specialist. */
function lane(name) {
    const index = labels().findIndex((label) => label.textContent.includes(name));
    if (index < 0) {
        throw new Error(`No lane for ${name}`);
    }
    return document.querySelectorAll(
        ".o_beauty_journal .vis-itemset .vis-foreground > .vis-group"
    )[index];
}

/** Screen point of a lane at an hour of the visible day (browser time). */
function point(name, hour) {
    const row = lane(name).getBoundingClientRect();
    const panel = document
        .querySelector(".o_beauty_journal .vis-panel.vis-center")
        .getBoundingClientRect();
    // The window shown is the day of the browser, from midnight.
    const ratio = (hour * 3600 * 1000) / DAY_MS;
    return {x: panel.left + panel.width * ratio, y: row.top + row.height / 2};
}

function pointer(type, target, {x, y}) {
    target.dispatchEvent(
        new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            clientX: x,
            clientY: y,
            pointerId: 1,
            pointerType: "mouse",
            isPrimary: true,
            button: 0,
            buttons: type === "pointerup" ? 0 : 1,
        })
    );
}

async function tap(at) {
    const target = document.elementFromPoint(at.x, at.y);
    pointer("pointerdown", target, at);
    await pause(20);
    pointer("pointerup", target, at);
}

async function drag(element, to) {
    const box = element.getBoundingClientRect();
    const from = {x: box.left + box.width / 2, y: box.top + box.height / 2};
    // Select the block first: vis-timeline only drags a selected item.
    await tap(from);
    await pause(400);
    const target = document.elementFromPoint(from.x, from.y);
    pointer("pointerdown", target, from);
    const steps = 10;
    for (let step = 1; step <= steps; step++) {
        await pause(20);
        pointer("pointermove", target, {
            x: from.x + ((to.x - from.x) * step) / steps,
            y: from.y + ((to.y - from.y) * step) / steps,
        });
    }
    await pause(20);
    pointer("pointerup", target, to);
}

function block(client) {
    return [...document.querySelectorAll(".o_beauty_journal .vis-item.vis-range")].find(
        (item) => item.textContent.includes(client)
    );
}

registry.category("web_tour.tours").add("beauty_crm_journal", {
    steps: () => [
        {
            content: "One lane per specialist",
            trigger: ".o_beauty_journal .vis-label:contains(Sofia Specialist)",
        },
        {
            content: "A specialist without visits has a lane too",
            trigger: ".o_beauty_journal .vis-label:contains(Nadia Free)",
        },
        {
            content: "The visit is a block in its specialist's lane",
            trigger: ".o_beauty_journal .vis-item:contains(Katya Client · Test hair colouring)",
        },
        {
            trigger: ".o_beauty_journal .vis-item:contains(Olga Journal)",
        },
        {
            content: "Nadia's nights are shaded: she keeps office hours",
            trigger: ".o_beauty_journal .vis-item.vis-background.o_beauty_journal_off",
        },
        {
            content: "Drop Katya's visit on Vera, who is busy at 04:00",
            trigger: ".o_beauty_journal .vis-item:contains(Katya Client)",
            async run() {
                await drag(block("Katya Client"), point("Vera Journal", 4.5));
            },
        },
        {
            content: "The engine refuses it with its message",
            trigger: ".modal:contains(Vera Journal is already booked)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The block is back in Sofia's lane",
            trigger: "body:not(:has(.modal))",
            run() {
                if (!lane("Sofia Specialist").contains(block("Katya Client"))) {
                    throw new Error("Katya's visit did not go back to Sofia's lane");
                }
            },
        },
        {
            content: "Double-click a free place of Vera's lane at 10:00",
            trigger: ".o_beauty_journal .vis-label:contains(Vera Journal)",
            async run() {
                const at = point("Vera Journal", 10);
                await tap(at);
                await pause(60);
                await tap(at);
            },
        },
        {
            content: "A new visit with Vera at 10:00",
            trigger: ".modal .o_form_view .o_data_row:contains(Vera Journal):contains(10:00)",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Nina Journal",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Nina Journal)",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_data_cell[name=product_id]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Test hair",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Test hair colouring)",
            run: "click",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The visit is in Vera's lane",
            trigger: "body:not(:has(.modal)) .o_beauty_journal .vis-item:contains(Nina Journal)",
            run() {
                if (!lane("Vera Journal").contains(block("Nina Journal"))) {
                    throw new Error("Nina's visit is not in Vera's lane");
                }
            },
        },
    ],
});
