package dev.berth.platform.apiserver;

import dev.berth.platform.controller.PodTermination;
import dev.berth.platform.model.Finalizers;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pod deletion as the API server does it, for the API's DELETE and the controllers' {@link PodTermination} alike: the
 * {@link DeletionGrace} decided on the stored pod inside one store write — marked terminating (its kubelet stops it and
 * removes it), left as it is, or removed now (held with {@code deletionGracePeriodSeconds: 0} while it has finalizers).
 * Thread-safe.
 */
public final class GracefulDeletion implements PodTermination {

    private final ObjectStore store;
    private final Clock clock;

    public GracefulDeletion(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A controller's delete: the pod's own grace period, a terminating pod left as it is. */
    @Override
    public void terminate(Pod pod, String component) {
        delete(pod, null);
    }

    /**
     * Deletes {@code pod} (this uid: a newer pod of the same name is left alone).
     *
     * @param gracePeriodSeconds the request's, or null for the pod's own
     * @return the pod still terminating, empty when it is gone
     */
    public Optional<Pod> delete(Pod pod, Long gracePeriodSeconds) {
        ObjectKey key = ObjectKey.of(pod);
        AtomicReference<DeletionGrace> decided = new AtomicReference<>();
        Pod after;
        try {
            after = store.<Pod>mutate(key, p -> {
                if (!p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                    return p;
                }
                DeletionGrace grace = DeletionGrace.decide(p, gracePeriodSeconds, Instant.now(clock));
                decided.set(grace);
                boolean held = grace.action() == DeletionGrace.Action.DELETE_NOW && Finalizers.any(p);
                if (grace.action() == DeletionGrace.Action.MARK_TERMINATING || held) {
                    p.getMetadata().setDeletionTimestamp(grace.deletionTimestamp());
                    p.getMetadata().setDeletionGracePeriodSeconds(held ? Long.valueOf(0) : grace.deletionGracePeriodSeconds());
                }
                return p;
            });
        } catch (StoreException gone) {
            return Optional.empty(); // already deleted: nothing left to terminate
        }
        DeletionGrace grace = decided.get();
        if (grace != null && grace.action() == DeletionGrace.Action.DELETE_NOW && !Finalizers.any(after)) {
            store.<Pod>get(key).filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid())).ifPresent(p -> store.delete(key));
            return Optional.empty();
        }
        return Optional.of(after);
    }
}
