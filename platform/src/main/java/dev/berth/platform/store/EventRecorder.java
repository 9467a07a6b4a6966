package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records Kubernetes Events about objects, the way kubelet and the controllers do: a repeat of the same
 * reason and message for the same object bumps {@code count} and {@code lastTimestamp} instead of adding a
 * new Event. Thread-safe (the store serialises the writes).
 */
public final class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private final ObjectStore store;
    private final Clock clock;
    /** Latest Event per (object, reason, message), bounded like the store's Events. */
    private final java.util.Map<String, ObjectKey> recent = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, ObjectKey> eldest) {
            return size() > 4096;
        }
    };

    public EventRecorder(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String component, String reason, String message) {
        record(about, component, NORMAL, reason, message);
    }

    public void warning(HasMetadata about, String component, String reason, String message) {
        record(about, component, WARNING, reason, message);
    }

    public synchronized void record(HasMetadata about, String component, String type, String reason, String message) {
        ObjectKey key = ObjectKey.of(about);
        String namespace = key.kind().namespaced() ? key.namespace() : ObjectKey.DEFAULT_NAMESPACE;
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String dedupe = about.getKind() + "/" + key + "/" + reason + "/" + message;
        ObjectKey earlier = recent.get(dedupe);
        if (earlier != null) {
            try {
                store.<Event>mutateShared(earlier, e -> { // the answer is not needed: no copy of it
                    e.setCount((e.getCount() == null ? 1 : e.getCount()) + 1);
                    e.setLastTimestamp(now);
                    return e;
                });
                return;
            } catch (StoreException evicted) {
                recent.remove(dedupe);
            }
        }
        byte[] suffix = new byte[8];
        ThreadLocalRandom.current().nextBytes(suffix);
        Event event = new EventBuilder()
                .withNewMetadata().withName(key.name() + "." + HexFormat.of().formatHex(suffix)).withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReference(about.getApiVersion(), null, about.getKind(), key.name(),
                        key.kind().namespaced() ? key.namespace() : null, about.getMetadata().getResourceVersion(), about.getMetadata().getUid()))
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withSource(new EventSource(component, null))
                .build();
        ObjectKey created = ObjectKey.of(event);
        store.createShared(event); // made here for the store alone
        recent.put(dedupe, created);
    }
}
