package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.ago;
import static dev.berth.platform.apiserver.printing.Printed.named;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream's printEvent table cases (printers_test.go TestPrintEvent, TestPrintEventsResultSorted). */
class EventTableTest {

    private static final String THREE_DAYS_AGO = ago(Duration.ofDays(3));
    private static final String TWO_DAYS_AGO = ago(Duration.ofDays(2));
    private static final ObjectReference DEPLOYMENT = reference("Deployment", "Deployment Name");
    private static final EventSource KUBELET_NODE1 = new EventSource("kubelet", "Node1");

    static Stream<Arguments> printEvent() {
        return Stream.of(
                arguments("TestPrintEvent: basic event; no generate options", false,
                        event("event1", new EventSource("kubelet", null), reference("Pod", "Pod Name"), "Normal").withFirstTimestamp(THREE_DAYS_AGO)
                                .withLastTimestamp(TWO_DAYS_AGO).withCount(6).build(),
                        List.of("2d", "Normal", "Event Reason", "pod/Pod Name", "Message Data")),
                arguments("TestPrintEvent: basic event; generate options=Wide", true,
                        event("event2", KUBELET_NODE1, DEPLOYMENT, "Warning").withFirstTimestamp(THREE_DAYS_AGO).withLastTimestamp(TWO_DAYS_AGO)
                                .withCount(6).build(),
                        List.of("2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data",
                                "3d", 6L, "event2")),
                arguments("TestPrintEvent: basic event, w/o FirstTimestamp set", true,
                        event("event3", KUBELET_NODE1, DEPLOYMENT, "Warning").withEventTime(new MicroTime(THREE_DAYS_AGO))
                                .withLastTimestamp(THREE_DAYS_AGO).withCount(1).build(),
                        List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data",
                                "3d", 1L, "event3")),
                arguments("TestPrintEvent: basic event, w/o LastTimestamp set", true,
                        event("event4", KUBELET_NODE1, DEPLOYMENT, "Warning").withEventTime(new MicroTime(THREE_DAYS_AGO))
                                .withFirstTimestamp(THREE_DAYS_AGO).withCount(1).build(),
                        List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data",
                                "3d", 1L, "event4")),
                arguments("TestPrintEvent: basic event, w/o FirstTimestamp and LastTimestamp set", true,
                        event("event5", KUBELET_NODE1, DEPLOYMENT, "Warning").withEventTime(new MicroTime(THREE_DAYS_AGO)).withCount(1).build(),
                        List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data",
                                "3d", 1L, "event5")),
                arguments("TestPrintEvent: basic event serie, w/o FirstTimestamp, LastTimestamp and Count set", true,
                        event("event6", KUBELET_NODE1, DEPLOYMENT, "Warning").withEventTime(new MicroTime(THREE_DAYS_AGO))
                                .withSeries(new EventSeries(2, new MicroTime(TWO_DAYS_AGO))).build(),
                        List.of("2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data",
                                "3d", 2L, "event6")),
                arguments("TestPrintEvent: singleton event, w/o FirstTimestamp, LastTimestamp and Count set", true,
                        event("event7", KUBELET_NODE1, DEPLOYMENT, "Warning").withEventTime(new MicroTime(THREE_DAYS_AGO)).build(),
                        List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, Node1", "Message Data",
                                "3d", 1L, "event7")),
                arguments("TestPrintEvent: basic event, with empty Source; generate options=Wide", true,
                        event("event2", null, DEPLOYMENT, "Warning").withReportingComponent("kubelet").withReportingInstance("test")
                                .withFirstTimestamp(THREE_DAYS_AGO).withLastTimestamp(TWO_DAYS_AGO).withCount(6).build(),
                        List.of("2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}", "kubelet, test", "Message Data",
                                "3d", 6L, "event2")),
                arguments("printEvent: the message is trimmed, an unnamed object prints its kind alone", true,
                        new EventBuilder().withMetadata(named("e")).withInvolvedObject(reference("Node", null)).withType("Normal").withReason("Starting")
                                .withMessage("  kubelet started\n").withFirstTimestamp(TWO_DAYS_AGO).build(),
                        List.of("2d", "Normal", "Starting", "node", "", "", "kubelet started", "2d", 1L, "e")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Event", true, new Event(),
                        List.of("<unknown>", "", "", "", "", "", "", "<unknown>", 1L, "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void printEvent(String upstreamCase, boolean wide, Event e, List<Object> cells) {
        assertThat(wide ? wide(EventTable.CORE, e) : narrow(EventTable.CORE, e)).containsExactlyElementsOf(cells);
    }

    @Test
    void eventsV1PrintsAsTheCoreEventItIsStoredAs() {
        var e = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withMetadata(named("event2")).withRegarding(DEPLOYMENT)
                .withDeprecatedSource(KUBELET_NODE1).withReason("Event Reason").withNote("Message Data").withType("Warning")
                .withDeprecatedFirstTimestamp(THREE_DAYS_AGO).withDeprecatedLastTimestamp(TWO_DAYS_AGO).withDeprecatedCount(6).build();

        assertThat(wide(EventTable.EVENTS_V1, e)).containsExactly("2d", "Warning", "Event Reason", "deployment/Deployment Name",
                "spec.containers{foo}", "kubelet, Node1", "Message Data", "3d", 6L, "event2");
    }

    @Test
    void eventsV1SeriesAndReportingControllerPrintLikeTheCoreOnes() {
        var e = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withMetadata(named("event6")).withRegarding(DEPLOYMENT)
                .withReason("Event Reason").withNote("Message Data").withType("Warning").withEventTime(new MicroTime(THREE_DAYS_AGO))
                .withReportingController("kubelet").withReportingInstance("test")
                .withNewSeries().withCount(2).withLastObservedTime(new MicroTime(TWO_DAYS_AGO)).endSeries().build();

        assertThat(wide(EventTable.EVENTS_V1, e)).containsExactly("2d", "Warning", "Event Reason", "deployment/Deployment Name",
                "spec.containers{foo}", "kubelet, test", "Message Data", "3d", 2L, "event6");
    }

    @Test
    void testPrintEventsResultSortedKeepsTheListsOrder() {
        List<Event> events = List.of(
                listed("Item 1", "kubelet", "2014-01-15T00:00:00Z"),
                listed("Item 2", "scheduler", "1987-06-17T00:00:00Z"),
                listed("Item 3", "kubelet", "2002-12-25T00:00:00Z"));

        Table table = new TablePrinter(Printed.CLOCK).table(ResourceKind.EVENT, events, IncludeObject.NONE, null, null);

        assertThat(table.rows()).extracting(r -> r.cells().get(6)).containsExactly("Item 1", "Item 2", "Item 3");
    }

    private static EventBuilder event(String name, EventSource source, ObjectReference involved, String type) {
        return new EventBuilder().withMetadata(named(name)).withSource(source).withInvolvedObject(involved).withReason("Event Reason")
                .withMessage("Message Data").withType(type);
    }

    private static Event listed(String message, String component, String time) {
        return new EventBuilder().withSource(new EventSource(component, null)).withMessage(message).withFirstTimestamp(time)
                .withLastTimestamp(time).withCount(1).withType("Normal").build();
    }

    private static ObjectReference reference(String kind, String name) {
        return new ObjectReferenceBuilder().withKind(kind).withName(name).withFieldPath(name == null ? null : "spec.containers{foo}").build();
    }
}
