/**
 * The salon's day journal: OCA's timeline view (web_timeline) with
 *
 * - a lane for every specialist (or room) of the branch, visits or not;
 * - the time a specialist cannot be booked (outside working hours, breaks,
 *   time off) shaded as background items, read from the server in one call
 *   for the days around the visible window, together with the lanes;
 * - the visits of those days only (not the whole history);
 * - a double click on a free place opening a new visit with that specialist
 *   (or room) and start time;
 * - a move the booking engine refuses put back where it was, its message
 *   shown as any server error.
 *
 * Registered as the js_class "beauty_journal" so that other timelines of
 * the database keep OCA's behaviour.
 */
import {FormViewDialog} from "@web/views/view_dialogs/form_view_dialog";
import {TimelineController} from "@web_timeline/views/timeline/timeline_controller.esm";
import {TimelineModel} from "@web_timeline/views/timeline/timeline_model.esm";
import {TimelineRenderer} from "@web_timeline/views/timeline/timeline_renderer.esm";
import {TimelineView} from "@web_timeline/views/timeline/timeline_view.esm";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {deserializeDateTime, serializeDateTime} from "@web/core/l10n/dates";

const {DateTime} = luxon;

// Fields whose lanes the server knows; other group-bys keep OCA's lanes.
const LANE_FIELDS = ["employee_id", "room_id"];
// The engine's slot step: drags and new visits snap to it.
const SNAP_MS = 15 * 60 * 1000;

/**
 * The days loaded around a visible window: the window, plus its own width on
 * each side, at least a day, in whole days.
 *
 * @param {DateTime} start
 * @param {DateTime} end
 * @returns {{start: DateTime, end: DateTime}}
 */
export function journalRange(start, end) {
    const margin = Math.max(end.diff(start, "days").days, 1);
    return {
        start: start.minus({days: margin}).startOf("day"),
        end: end.plus({days: margin}).endOf("day"),
    };
}

export class BeautyJournalModel extends TimelineModel {
    setup(params) {
        super.setup(params);
        const now = DateTime.now();
        const unit = params.mode === "week" ? "week" : "day";
        this.range = journalRange(now.startOf(unit), now.endOf(unit));
        this.journal = {lanes: [], off: [], groupBy: false};
    }

    get laneField() {
        return this.last_group_bys[0];
    }

    /**
     * The visits of the loaded days, the lanes and their shading.
     *
     * @override
     */
    async load(searchParams) {
        this.searchParams = searchParams;
        const groupBy =
            searchParams.groupBy && searchParams.groupBy.length
                ? searchParams.groupBy[0]
                : this.params.default_group_by.split(",")[0];
        const start = serializeDateTime(this.range.start);
        const end = serializeDateTime(this.range.end);
        const domain = [
            ...(searchParams.domain || []),
            [this.date_stop, ">", start],
            [this.date_start, "<", end],
        ];
        const journal = LANE_FIELDS.includes(groupBy)
            ? await this.orm.call(this.model_name, "get_journal_lanes", [
                  groupBy,
                  start,
                  end,
                  searchParams.domain || [],
              ])
            : {lanes: [], off: []};
        this.journal = {...journal, groupBy};
        return super.load({...searchParams, domain});
    }

    /**
     * Load other days when the window leaves the loaded ones.
     *
     * @param {Date} start
     * @param {Date} end
     * @returns {Boolean} whether the days change
     */
    async setWindow(start, end) {
        const windowStart = DateTime.fromJSDate(start);
        const windowEnd = DateTime.fromJSDate(end);
        if (windowStart >= this.range.start && windowEnd <= this.range.end) {
            return false;
        }
        this.range = journalRange(windowStart, windowEnd);
        await this.load(this.searchParams);
        return true;
    }

    /**
     * Background items of the lanes: time that cannot be booked.
     *
     * @returns {Object[]}
     */
    offItems() {
        if (this.journal.groupBy !== this.laneField) {
            return [];
        }
        return this.journal.off.map((off, index) => ({
            id: `beauty_off_${index}`,
            group: off.group,
            start: deserializeDateTime(off.start).toJSDate(),
            end: deserializeDateTime(off.end).toJSDate(),
            type: "background",
            content: "",
            className: `o_beauty_journal_${off.kind}`,
            title: off.kind === "leave" ? _t("Time off") : _t("Not working"),
        }));
    }
}

export class BeautyJournalRenderer extends TimelineRenderer {
    init_timeline() {
        this.options.snap = (date) => new Date(Math.round(date / SNAP_MS) * SNAP_MS);
        super.init_timeline();
        this.timeline.on("rangechanged", async ({start, end}) => {
            if (await this.model.setWindow(start, end)) {
                this.on_data_loaded(this.model.data, false);
            }
        });
    }

    /**
     * Lanes: every specialist (or room) of the branch, then those of the
     * visits shown that are not among them.
     *
     * @override
     */
    async split_groups(records) {
        const groups = await super.split_groups(records);
        const {lanes, groupBy} = this.model.journal;
        if (groupBy !== this.model.laneField || !lanes.length) {
            return groups;
        }
        const known = new Set(lanes.map((lane) => lane.id));
        const extra = groups.filter((group) => group.id !== -1 && !known.has(group.id));
        const unassigned = records.some((record) => !record[groupBy]);
        return [
            ...(unassigned ? groups.filter((group) => group.id === -1) : []),
            ...lanes.map((lane, index) => ({...lane, order: index + 1})),
            ...extra.map((group, index) => ({
                ...group,
                order: lanes.length + index + 1,
            })),
        ];
    }

    /** @override */
    async on_data_loaded(records, adjust_window) {
        await super.on_data_loaded(records, adjust_window);
        const offItems = this.model.offItems();
        // update, not add: two loads in a row may share one item set.
        this.timeline.itemsData.update(offItems);
        if (!this.fittedToHours && this.mode.data === "day") {
            this.fittedToHours = true;
            this.fitToWorkingHours(offItems);
        }
    }

    /**
     * Open the day on its working hours (an hour either side) rather than on
     * 24 hours, so that a laptop or a tablet shows the visits wide enough.
     *
     * @param {Object[]} offItems
     */
    fitToWorkingHours(offItems) {
        const {start, end} = this.timeline.getWindow();
        const lanes = this.model.journal.lanes.map((lane) => lane.id);
        if (!lanes.length) {
            return;
        }
        let first = end;
        let last = start;
        for (const id of lanes) {
            const off = offItems.filter(
                (item) => item.group === id && item.end > start && item.start < end
            );
            const morning = off.find((item) => item.start <= start);
            const evening = off.find((item) => item.end >= end);
            const opens = morning ? morning.end : start;
            const closes = evening ? evening.start : end;
            if (opens < closes) {
                first = opens < first ? opens : first;
                last = closes > last ? closes : last;
            }
        }
        if (first >= last) {
            return;
        }
        const hour = 3600 * 1000;
        this.timeline.setWindow(
            new Date(Math.max(first.getTime() - hour, start.getTime())),
            new Date(Math.min(last.getTime() + hour, end.getTime())),
            {animation: false}
        );
    }
}

export class BeautyJournalController extends TimelineController {
    /**
     * A double click on a free place: a new visit with the lane's specialist
     * (or room) at that time; saving it goes through the booking engine,
     * which explains a conflict in its own words.
     *
     * @override
     */
    _onAdd(item, callback) {
        // The journal is redrawn from the server once the visit is saved.
        callback(null);
        const line = {start: serializeDateTime(DateTime.fromJSDate(item.start))};
        const field = this.model.laneField;
        if (LANE_FIELDS.includes(field) && item.group > 0) {
            line[field] = item.group;
        }
        this.dialogService.add(FormViewDialog, {
            resModel: "beauty.appointment",
            title: _t("New visit"),
            context: {default_line_ids: [[0, 0, line]]},
            onRecordSaved: async () => {
                await this.model.load(this.getSearchProps());
                this.render();
            },
        });
    }

    /**
     * Write the moves; one the engine refuses goes back to its place and its
     * message is shown.
     *
     * @override
     */
    async internalMove() {
        const queues = this.moveQueue.splice(0);
        try {
            while (queues.length) {
                await this.model.write_completed(queues[0].id, queues[0].data);
                const done = queues.shift();
                done.callback(done.item);
            }
        } catch (error) {
            for (const item of queues) {
                // Puts the block back in its place and lane.
                item.callback(null);
            }
            throw error;
        } finally {
            await this.model.load(this.getSearchProps());
            this.render();
        }
    }
}

export const BeautyJournalView = {
    ...TimelineView,
    Model: BeautyJournalModel,
    Renderer: BeautyJournalRenderer,
    Controller: BeautyJournalController,
};

registry.category("views").add("beauty_journal", BeautyJournalView);
