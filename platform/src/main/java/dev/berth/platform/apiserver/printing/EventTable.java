package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.count;
import static dev.berth.platform.apiserver.printing.Cells.str;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;
import java.util.Locale;

/**
 * {@code kubectl get events}: upstream's {@code printEvent}, for core/v1 Events and for events.k8s.io/v1 Events
 * (kube-apiserver serves both from the one core Event storage, so both print alike). LAST SEEN falls back to the
 * first time, the first time to {@code eventTime}; a series counts and dates itself. Pure.
 */
final class EventTable {

    /** {@code Event{}.SwaggerDoc()["lastTimestamp"]}. */
    private static final String EVENT_LASTTIMESTAMP =
            "The time at which the most recent occurrence of this event was recorded.";
    /** {@code Event{}.SwaggerDoc()["type"]}. */
    private static final String EVENT_TYPE =
            "Type of this event (Normal, Warning), new types could be added in the future";
    /** {@code Event{}.SwaggerDoc()["reason"]}. */
    private static final String EVENT_REASON =
            "This should be a short, machine understandable string that gives the reason for the transition "
            + "into the object's current status.";
    /** {@code Event{}.SwaggerDoc()["involvedObject"]}. */
    private static final String EVENT_INVOLVEDOBJECT =
            "The object that this event is about.";
    /** {@code ObjectReference{}.SwaggerDoc()["fieldPath"]}. */
    private static final String OBJECTREFERENCE_FIELDPATH =
            "If referring to a piece of an object instead of an entire object, this string should contain a "
            + "valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For "
            + "example, if the object reference is to a container within a pod, this would take on a value "
            + "like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered "
            + "the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 "
            + "in this pod). This syntax is chosen only to have some well-defined way of referencing a part "
            + "of an object.";
    /** {@code Event{}.SwaggerDoc()["source"]}. */
    private static final String EVENT_SOURCE =
            "The component reporting this event. Should be a short machine understandable string.";
    /** {@code Event{}.SwaggerDoc()["message"]}. */
    private static final String EVENT_MESSAGE =
            "A human-readable description of the status of this operation.";
    /** {@code Event{}.SwaggerDoc()["firstTimestamp"]}. */
    private static final String EVENT_FIRSTTIMESTAMP =
            "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)";
    /** {@code Event{}.SwaggerDoc()["count"]}. */
    private static final String EVENT_COUNT =
            "The number of times this event has occurred.";

    private static final List<TableColumn> COLUMNS = List.of(
            TableColumn.string("Last Seen", EVENT_LASTTIMESTAMP),
            TableColumn.string("Type", EVENT_TYPE),
            TableColumn.string("Reason", EVENT_REASON),
            TableColumn.string("Object", EVENT_INVOLVEDOBJECT),
            TableColumn.wide("Subobject", OBJECTREFERENCE_FIELDPATH),
            TableColumn.wide("Source", EVENT_SOURCE),
            TableColumn.string("Message", EVENT_MESSAGE),
            TableColumn.wide("First Seen", EVENT_FIRSTTIMESTAMP),
            TableColumn.wide("Count", EVENT_COUNT),
            new TableColumn("Name", "string", "name", TableColumn.NAME_DOC, 1));

    static final KindTable<Event> CORE = new KindTable<>("v1", "Event", Event.class, COLUMNS, EventTable::print);
    static final KindTable<io.fabric8.kubernetes.api.model.events.v1.Event> EVENTS_V1 = new KindTable<>("events.k8s.io/v1", "Event",
            io.fabric8.kubernetes.api.model.events.v1.Event.class, COLUMNS, (e, ages) -> print(toCore(e), ages));

    private EventTable() {}

    static Row print(Event e, Ages ages) {
        String firstTimestamp = Ages.instant(e.getFirstTimestamp()) == null ? ages.since(micro(e.getEventTime())) : ages.since(e.getFirstTimestamp());
        String lastTimestamp = Ages.instant(e.getLastTimestamp()) == null ? firstTimestamp : ages.since(e.getLastTimestamp());
        long eventCount = count(e.getCount());
        if (e.getSeries() != null) {
            lastTimestamp = ages.since(micro(e.getSeries().getLastObservedTime()));
            eventCount = count(e.getSeries().getCount());
        } else if (eventCount == 0) { // singleton events of the new API have no count
            eventCount = 1;
        }
        ObjectReference involved = e.getInvolvedObject() == null ? new ObjectReference() : e.getInvolvedObject();
        String kind = str(involved.getKind()).toLowerCase(Locale.ROOT);
        String target = Cells.isEmpty(involved.getName()) ? kind : kind + "/" + involved.getName();
        return Row.of(lastTimestamp, str(e.getType()), str(e.getReason()), target, str(involved.getFieldPath()),
                source(e.getSource(), e.getReportingComponent(), e.getReportingInstance()), str(e.getMessage()).strip(), firstTimestamp,
                eventCount, Cells.name(e));
    }

    /** {@code formatEventSource}: component (or reporting controller), then ", host" (or reporting instance) if any. */
    private static String source(EventSource source, String reportingController, String reportingInstance) {
        EventSource s = source == null ? new EventSource() : source;
        String component = Cells.isEmpty(s.getComponent()) ? str(reportingController) : s.getComponent();
        String instance = Cells.isEmpty(s.getHost()) ? str(reportingInstance) : s.getHost();
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    private static String micro(MicroTime t) {
        return t == null ? null : t.getTime();
    }

    /** events.k8s.io/v1 to the core Event, as {@code Convert_v1_Event_To_core_Event} maps the fields printed. */
    static Event toCore(io.fabric8.kubernetes.api.model.events.v1.Event e) {
        Event core = new Event();
        core.setMetadata(e.getMetadata());
        core.setInvolvedObject(e.getRegarding());
        core.setSource(e.getDeprecatedSource());
        core.setMessage(e.getNote());
        core.setFirstTimestamp(e.getDeprecatedFirstTimestamp());
        core.setLastTimestamp(e.getDeprecatedLastTimestamp());
        core.setCount(e.getDeprecatedCount());
        core.setEventTime(e.getEventTime());
        core.setReason(e.getReason());
        core.setType(e.getType());
        core.setReportingComponent(e.getReportingController());
        core.setReportingInstance(e.getReportingInstance());
        if (e.getSeries() != null) {
            core.setSeries(new EventSeries(e.getSeries().getCount(), e.getSeries().getLastObservedTime()));
        }
        return core;
    }
}
