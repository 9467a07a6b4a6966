package dev.berth.platform.apiserver.discovery;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.ArrayList;
import java.util.List;

/**
 * The served kinds (the RBAC kinds and the create-only self reviews among them) plus those issue 13 adds to
 * ResourceKind (with upstream's names and short names), so that tests show the documents take them as they come: new groups, a create-only resource, a second {@code events}.
 */
public final class IssueThirteenKinds {

    private IssueThirteenKinds() {}

    public static List<ServedResource> all() {
        List<ServedResource> all = new ArrayList<>(ServedResources.all());
        all.add(ServedResources.describe("v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), ServiceAccount.class));
        all.add(ServedResources.describe("v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"),
                PersistentVolumeClaim.class));
        all.add(ServedResources.describe("apps/v1", "ControllerRevision", "controllerrevisions", true, List.of(),
                ControllerRevision.class));
        all.add(ServedResources.describe("coordination.k8s.io/v1", "Lease", "leases", true, List.of(), Lease.class));
        all.add(ServedResources.describe("events.k8s.io/v1", "Event", "events", true, List.of("ev"),
                io.fabric8.kubernetes.api.model.events.v1.Event.class));
        return all;
    }
}
