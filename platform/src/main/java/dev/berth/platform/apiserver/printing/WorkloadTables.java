package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.containerCells;
import static dev.berth.platform.apiserver.printing.Cells.int64;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import dev.berth.platform.model.Owners;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.List;
import java.util.Locale;

/**
 * apps/v1 tables: upstream's {@code printDeployment}, {@code printReplicaSet}, {@code printStatefulSet} and
 * {@code printControllerRevision}. Counts are read as stored (a missing count is Go's 0). Pure.
 */
final class WorkloadTables {

    /** {@code ReplicaSetSpec{}.SwaggerDoc()["replicas"]}. */
    private static final String REPLICASETSPEC_REPLICAS =
            "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero "
            + "and unspecified. Defaults to 1. More info: "
            + "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset";
    /** {@code ReplicaSetStatus{}.SwaggerDoc()["replicas"]}. */
    private static final String REPLICASETSTATUS_REPLICAS =
            "Replicas is the most recently observed number of non-terminating pods. More info: "
            + "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset";
    /** {@code ReplicaSetStatus{}.SwaggerDoc()["readyReplicas"]}. */
    private static final String REPLICASETSTATUS_READYREPLICAS =
            "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.";
    /** {@code ReplicaSetSpec{}.SwaggerDoc()["selector"]}. */
    private static final String REPLICASETSPEC_SELECTOR =
            "Selector is a label query over pods that should match the replica count. If the selector is "
            + "empty, it is defaulted to the labels present on the pod template. Label keys and values that "
            + "must match in order to be controlled by this replica set. More info: "
            + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
    /** {@code DeploymentStatus{}.SwaggerDoc()["updatedReplicas"]}. */
    private static final String DEPLOYMENTSTATUS_UPDATEDREPLICAS =
            "Total number of non-terminating pods targeted by this deployment that have the desired "
            + "template spec.";
    /** {@code DeploymentStatus{}.SwaggerDoc()["availableReplicas"]}. */
    private static final String DEPLOYMENTSTATUS_AVAILABLEREPLICAS =
            "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted "
            + "by this deployment.";
    /** {@code DeploymentSpec{}.SwaggerDoc()["selector"]}. */
    private static final String DEPLOYMENTSPEC_SELECTOR =
            "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones "
            + "affected by this deployment.";
    /** {@code ControllerRevision{}.SwaggerDoc()["revision"]}. */
    private static final String CONTROLLERREVISION_REVISION =
            "revision indicates the revision of the state represented by Data.";
    private static final String TEMPLATE_CONTAINERS = "Names of each container in the template.";
    private static final String TEMPLATE_IMAGES = "Images referenced by each container in the template.";

    static final KindTable<Deployment> DEPLOYMENT = new KindTable<>("apps/v1", "Deployment", Deployment.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Ready", "Number of the pod with ready state"),
            TableColumn.string("Up-to-date", DEPLOYMENTSTATUS_UPDATEDREPLICAS),
            TableColumn.string("Available", DEPLOYMENTSTATUS_AVAILABLEREPLICAS),
            TableColumn.AGE,
            TableColumn.wide("Containers", TEMPLATE_CONTAINERS),
            TableColumn.wide("Images", TEMPLATE_IMAGES),
            TableColumn.wide("Selector", DEPLOYMENTSPEC_SELECTOR)), WorkloadTables::deployment);

    static final KindTable<ReplicaSet> REPLICA_SET = new KindTable<>("apps/v1", "ReplicaSet", ReplicaSet.class, List.of(
            TableColumn.NAME,
            TableColumn.integer("Desired", REPLICASETSPEC_REPLICAS),
            TableColumn.integer("Current", REPLICASETSTATUS_REPLICAS),
            TableColumn.integer("Ready", REPLICASETSTATUS_READYREPLICAS),
            TableColumn.AGE,
            TableColumn.wide("Containers", TEMPLATE_CONTAINERS),
            TableColumn.wide("Images", TEMPLATE_IMAGES),
            TableColumn.wide("Selector", REPLICASETSPEC_SELECTOR)), WorkloadTables::replicaSet);

    static final KindTable<StatefulSet> STATEFUL_SET = new KindTable<>("apps/v1", "StatefulSet", StatefulSet.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Ready", "Number of the pod with ready state"),
            TableColumn.AGE,
            TableColumn.wide("Containers", TEMPLATE_CONTAINERS),
            TableColumn.wide("Images", TEMPLATE_IMAGES)), WorkloadTables::statefulSet);

    static final KindTable<ControllerRevision> CONTROLLER_REVISION = new KindTable<>("apps/v1", "ControllerRevision",
            ControllerRevision.class, List.of(
                    TableColumn.NAME,
                    TableColumn.string("Controller", "Controller of the object"),
                    TableColumn.string("Revision", CONTROLLERREVISION_REVISION),
                    TableColumn.AGE), WorkloadTables::controllerRevision);

    private WorkloadTables() {}

    static Row deployment(Deployment d, Ages ages) {
        DeploymentSpec spec = d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
        DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        List<String> containers = containerCells(containers(spec.getTemplate()));
        return Row.of(Cells.name(d), int64(status.getReadyReplicas()) + "/" + int64(spec.getReplicas()), int64(status.getUpdatedReplicas()),
                int64(status.getAvailableReplicas()), ages.created(d), containers.get(0), containers.get(1),
                Selectors.string(spec.getSelector()).orElse("<invalid>"));
    }

    static Row replicaSet(ReplicaSet rs, Ages ages) {
        ReplicaSetSpec spec = rs.getSpec() == null ? new ReplicaSetSpec() : rs.getSpec();
        ReplicaSetStatus status = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        List<String> containers = containerCells(containers(spec.getTemplate()));
        return Row.of(Cells.name(rs), int64(spec.getReplicas()), int64(status.getReplicas()), int64(status.getReadyReplicas()),
                ages.created(rs), containers.get(0), containers.get(1), Selectors.format(spec.getSelector()));
    }

    static Row statefulSet(StatefulSet s, Ages ages) {
        StatefulSetSpec spec = s.getSpec() == null ? new StatefulSetSpec() : s.getSpec();
        StatefulSetStatus status = s.getStatus() == null ? new StatefulSetStatus() : s.getStatus();
        List<String> containers = containerCells(containers(spec.getTemplate()));
        return Row.of(Cells.name(s), int64(status.getReadyReplicas()) + "/" + int64(spec.getReplicas()), ages.created(s),
                containers.get(0), containers.get(1));
    }

    /**
     * @throws IllegalArgumentException when the controller reference's apiVersion is not a group/version
     */
    static Row controllerRevision(ControllerRevision r, Ages ages) {
        String controller = r.getMetadata() == null ? Cells.NONE
                : Owners.controllerOf(r).map(WorkloadTables::kindAndName).orElse(Cells.NONE);
        return Row.of(Cells.name(r), controller, r.getRevision() == null ? 0L : r.getRevision(), ages.created(r));
    }

    /** {@code formatResourceName(groupKind, name, true)}: {@code statefulset.apps/web}, {@code pod/web-0}. */
    private static String kindAndName(OwnerReference ref) {
        String apiVersion = Cells.str(ref.getApiVersion());
        int slash = apiVersion.indexOf('/');
        if (slash >= 0 && apiVersion.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("unexpected GroupVersion string: " + apiVersion);
        }
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String kind = Cells.str(ref.getKind());
        if (kind.isEmpty() && group.isEmpty()) {
            return Cells.str(ref.getName());
        }
        String groupKind = group.isEmpty() ? kind : kind + "." + group;
        return groupKind.toLowerCase(Locale.ROOT) + "/" + Cells.str(ref.getName());
    }

    private static List<Container> containers(PodTemplateSpec template) {
        return template == null || template.getSpec() == null ? List.of() : template.getSpec().getContainers();
    }
}
