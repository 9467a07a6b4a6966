package dev.berth.platform.runtime;

import dev.berth.platform.controller.PodTermination;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@link PodTermination} as the API server does it: deletionTimestamp + grace period, or delete at once if nothing runs. */
public final class GracefulDeletion implements PodTermination {

    private final ObjectStore store;
    private final Clock clock;

    public GracefulDeletion(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void terminate(Pod pod, String component) {
        ObjectKey key = ObjectKey.of(pod);
        if (!PodStatuses.isScheduled(pod) || PodStatuses.isFinished(pod)) {
            store.delete(key);
            return;
        }
        try {
            store.<Pod>mutate(key, p -> {
                if (p.getMetadata().getDeletionTimestamp() == null && p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                    Long grace = p.getSpec().getTerminationGracePeriodSeconds();
                    p.getMetadata().setDeletionTimestamp(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
                    p.getMetadata().setDeletionGracePeriodSeconds(grace == null ? 30L : grace);
                }
                return p;
            });
        } catch (StoreException gone) {
            // already deleted: nothing left to terminate
        }
    }
}
