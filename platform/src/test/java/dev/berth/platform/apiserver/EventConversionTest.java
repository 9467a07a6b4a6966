package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** core/v1 ↔ events.k8s.io/v1, transcribing upstream's {@code pkg/apis/events/v1/conversion_test.go} and adding the deprecated fields. */
class EventConversionTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final EventConversion CONVERSION = new EventConversion(JSON);

    @Test
    void convertV1EventToCoreEvent() { // Test_convert_v1_Event_To_core_Event
        var v1 = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata().withName("foo").withNamespace("default").endMetadata()
                .withNewRegarding().withKind("Pod").withNamespace("default").withName("foo").endRegarding()
                .withNewDeprecatedSource("controller-manager", "master1")
                .withNote("convert v1 event to core event").build();
        Event core = CONVERSION.toCore(v1);
        assertThat(core.getApiVersion()).isEqualTo("v1");
        assertThat(core.getMetadata().getName()).isEqualTo("foo");
        assertThat(core.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(core.getInvolvedObject().getName()).isEqualTo("foo");
        assertThat(core.getSource().getComponent()).isEqualTo("controller-manager");
        assertThat(core.getSource().getHost()).isEqualTo("master1");
        assertThat(core.getMessage()).isEqualTo("convert v1 event to core event");
    }

    @Test
    void convertCoreEventToV1Event() { // Test_convert_core_Event_To_v1_Event
        Event core = new EventBuilder().withNewMetadata().withName("foo").withNamespace("default").endMetadata()
                .withNewInvolvedObject().withNamespace("default").withName("foo").withKind("Pod").endInvolvedObject()
                .withNewSource().withComponent("controller-manager").withHost("master1").endSource()
                .withMessage("convert core event to v1 event").build();
        var v1 = CONVERSION.toV1(core);
        assertThat(v1.getApiVersion()).isEqualTo("events.k8s.io/v1");
        assertThat(v1.getRegarding().getKind()).isEqualTo("Pod");
        assertThat(v1.getDeprecatedSource().getComponent()).isEqualTo("controller-manager");
        assertThat(v1.getDeprecatedSource().getHost()).isEqualTo("master1");
        assertThat(v1.getNote()).isEqualTo("convert core event to v1 event");
    }

    @Test
    void theDeprecatedFieldsTheSeriesAndTheReportingControllerRoundTrip() {
        Event core = new EventBuilder().withNewMetadata().withName("web.1").withNamespace("default").endMetadata()
                .withFirstTimestamp("2026-12-03T12:00:00Z").withLastTimestamp("2026-12-03T12:05:00Z").withCount(7)
                .withEventTime(new MicroTime("2026-12-03T12:00:00.000001Z")).withNewSeries().withCount(7)
                .withLastObservedTime(new MicroTime("2026-12-03T12:05:00.000001Z")).endSeries()
                .withReportingComponent("deployment-controller").withReportingInstance("core-1").withAction("Scale")
                .withReason("ScalingReplicaSet").withType("Normal").build();
        var v1 = CONVERSION.toV1(core);
        assertThat(v1.getDeprecatedFirstTimestamp()).isEqualTo("2026-12-03T12:00:00Z");
        assertThat(v1.getDeprecatedLastTimestamp()).isEqualTo("2026-12-03T12:05:00Z");
        assertThat(v1.getDeprecatedCount()).isEqualTo(7);
        assertThat(v1.getSeries().getCount()).isEqualTo(7);
        assertThat(v1.getReportingController()).isEqualTo("deployment-controller");
        assertThat(v1.getReportingInstance()).isEqualTo("core-1");
        assertThat(v1.getAction()).isEqualTo("Scale");
        assertThat(v1.getEventTime().getTime()).isEqualTo("2026-12-03T12:00:00.000001Z");
        assertThat(CONVERSION.toCore(v1)).isEqualTo(core);
    }
}
