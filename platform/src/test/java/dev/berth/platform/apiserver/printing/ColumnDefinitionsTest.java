package dev.berth.platform.apiserver.printing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each kind's column definitions, transcribed from upstream's AddHandlers (printers.go, Kubernetes 1.35) as
 * {@code name:type:format:priority}: what kubectl's headers and {@code -o wide} are made of.
 */
class ColumnDefinitionsTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(delimiter = ';', value = {
            "v1; Pod; Name:string:name:0|Ready:string::0|Status:string::0|Restarts:string::0|Age:string::0|IP:string::1|Node:string::1"
                    + "|Nominated Node:string::1|Readiness Gates:string::1",
            "apps/v1; Deployment; Name:string:name:0|Ready:string::0|Up-to-date:string::0|Available:string::0|Age:string::0"
                    + "|Containers:string::1|Images:string::1|Selector:string::1",
            "apps/v1; ReplicaSet; Name:string:name:0|Desired:integer::0|Current:integer::0|Ready:integer::0|Age:string::0"
                    + "|Containers:string::1|Images:string::1|Selector:string::1",
            "apps/v1; StatefulSet; Name:string:name:0|Ready:string::0|Age:string::0|Containers:string::1|Images:string::1",
            "apps/v1; ControllerRevision; Name:string:name:0|Controller:string::0|Revision:string::0|Age:string::0",
            "v1; Service; Name:string:name:0|Type:string::0|Cluster-IP:string::0|External-IP:string::0|Port(s):string::0|Age:string::0"
                    + "|Selector:string::1",
            "v1; Endpoints; Name:string:name:0|Endpoints:string::0|Age:string::0",
            "v1; Node; Name:string:name:0|Status:string::0|Roles:string::0|Age:string::0|Version:string::0|Internal-IP:string::1"
                    + "|External-IP:string::1|OS-Image:string::1|Kernel-Version:string::1|Container-Runtime:string::1",
            "v1; Event; Last Seen:string::0|Type:string::0|Reason:string::0|Object:string::0|Subobject:string::1|Source:string::1"
                    + "|Message:string::0|First Seen:string::1|Count:string::1|Name:string:name:1",
            "events.k8s.io/v1; Event; Last Seen:string::0|Type:string::0|Reason:string::0|Object:string::0|Subobject:string::1"
                    + "|Source:string::1|Message:string::0|First Seen:string::1|Count:string::1|Name:string:name:1",
            "autoscaling/v2; HorizontalPodAutoscaler; Name:string:name:0|Reference:string::0|Targets:string::0|MinPods:string::0"
                    + "|MaxPods:string::0|Replicas:string::0|Age:string::0",
            "v1; ConfigMap; Name:string:name:0|Data:string::0|Age:string::0",
            "v1; Secret; Name:string:name:0|Type:string::0|Data:string::0|Age:string::0",
            "v1; ServiceAccount; Name:string:name:0|Secrets:string::0|Age:string::0",
            "v1; Namespace; Name:string:name:0|Status:string::0|Age:string::0",
            "v1; PersistentVolumeClaim; Name:string:name:0|Status:string::0|Volume:string::0|Capacity:string::0|Access Modes:string::0"
                    + "|StorageClass:string::0|VolumeAttributesClass:string::0|Age:string::0|VolumeMode:string::1",
            "coordination.k8s.io/v1; Lease; Name:string:name:0|Holder:string::0|Age:string::0",
            "rbac.authorization.k8s.io/v1; RoleBinding; Name:string:name:0|Role:string::0|Age:string::0|Users:string::1|Groups:string::1"
                    + "|ServiceAccounts:string::1",
            "rbac.authorization.k8s.io/v1; ClusterRoleBinding; Name:string:name:0|Role:string::0|Age:string::0|Users:string::1"
                    + "|Groups:string::1|ServiceAccounts:string::1",
    })
    void columnsAreUpstreams(String apiVersion, String kind, String columns) {
        KindTable<?> table = KindTables.BUILT_IN.find(apiVersion, kind).orElseThrow();

        assertThat(table.columns().stream().map(c -> c.name() + ":" + c.type() + ":" + c.format() + ":" + c.priority())
                .collect(Collectors.joining("|"))).isEqualTo(columns);
        assertThat(table.columns()).allSatisfy(c -> assertThat(c.description()).isNotBlank());
        assertThat(table.columns()).filteredOn(c -> c.name().equals("Age")).allSatisfy(c -> assertThat(c.description())
                .startsWith("CreationTimestamp is a timestamp representing the server time when this object was created."));
    }

    @ParameterizedTest(name = "{0}/{1} column {2}")
    @CsvSource(delimiter = ';', value = {
            "v1; Node; Version; Kubelet Version reported by the node.",
            "v1; Namespace; Status; The status of the namespace",
            "apps/v1; StatefulSet; Ready; Number of the pod with ready state",
            "rbac.authorization.k8s.io/v1; ClusterRoleBinding; Users; Users in the clusterRoleBinding",
            "autoscaling/v2; HorizontalPodAutoscaler; MaxPods; maxReplicas is the upper limit for the number of replicas to which the "
                    + "autoscaler can scale up. It cannot be less that minReplicas.",
            "coordination.k8s.io/v1; Lease; Holder; holderIdentity contains the identity of the holder of a current lease. If "
                    + "Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.",
    })
    void descriptionsAreUpstreamsSwaggerDocs(String apiVersion, String kind, String column, String description) {
        KindTable<?> table = KindTables.BUILT_IN.find(apiVersion, kind).orElseThrow();

        assertThat(table.columns()).filteredOn(c -> c.name().equals(column)).singleElement()
                .extracting(TableColumn::description).isEqualTo(description);
    }
}
