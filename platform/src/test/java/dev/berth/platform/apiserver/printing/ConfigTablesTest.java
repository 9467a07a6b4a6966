package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.ago;
import static dev.berth.platform.apiserver.printing.Printed.almostNow;
import static dev.berth.platform.apiserver.printing.Printed.created;
import static dev.berth.platform.apiserver.printing.Printed.named;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * upstream's table cases for ConfigMap, Secret, ServiceAccount, Namespace, PersistentVolumeClaim and Lease
 * (printers_test.go), each row naming its case.
 */
class ConfigTablesTest {

    private static final String FIVE_MINUTES_AGO = ago(Duration.ofMinutes(5));

    static Stream<Arguments> row() {
        return Stream.of(
                arguments("TestPrintConfigMap: basic config map with no data", ConfigTables.CONFIG_MAP,
                        new ConfigMapBuilder().withMetadata(created("configmap1", almostNow())).build(), List.of("configmap1", 0L, "0s")),
                arguments("TestPrintConfigMap: basic config map with one data entry", ConfigTables.CONFIG_MAP,
                        new ConfigMapBuilder().withMetadata(created("configmap2", almostNow())).withData(Map.of("foo", "bar")).build(),
                        List.of("configmap2", 1L, "0s")),
                arguments("TestPrintConfigMap: basic config map with one data and one binary data entry", ConfigTables.CONFIG_MAP,
                        new ConfigMapBuilder().withMetadata(created("configmap3", almostNow())).withData(Map.of("foo", "bar"))
                                .withBinaryData(Map.of("bin", "YmluYXJ5IGRhdGE=")).build(),
                        List.of("configmap3", 2L, "0s")),

                arguments("TestPrintSecret: type, data, and age", ConfigTables.SECRET,
                        new SecretBuilder().withMetadata(created("secret1", almostNow())).withType("kubernetes.io/service-account-token")
                                .withData(Map.of("token", "c2VjcmV0IGRhdGE=")).build(),
                        List.of("secret1", "kubernetes.io/service-account-token", 1L, "0s")),
                arguments("TestPrintSecret: type and age; no data", ConfigTables.SECRET,
                        new SecretBuilder().withMetadata(created("secret1", almostNow())).withType("kubernetes.io/service-account-token").build(),
                        List.of("secret1", "kubernetes.io/service-account-token", 0L, "0s")),
                arguments("Convert_v1_Secret_To_core_Secret: stringData keys merge into data before printing", ConfigTables.SECRET,
                        new SecretBuilder().withMetadata(created("secret2", almostNow())).withType("Opaque").withData(Map.of("a", "YQ==", "b", "Yg=="))
                                .withStringData(Map.of("b", "bb", "c", "c")).build(),
                        List.of("secret2", "Opaque", 3L, "0s")),

                arguments("TestPrintServiceAccount: basic service account without secrets", ConfigTables.SERVICE_ACCOUNT,
                        new ServiceAccountBuilder().withMetadata(created("sa1", almostNow())).withSecrets(List.<ObjectReference>of()).build(),
                        List.of("sa1", 0L, "0s")),
                arguments("TestPrintServiceAccount: basic service account with two secrets", ConfigTables.SERVICE_ACCOUNT,
                        new ServiceAccountBuilder().withMetadata(created("sa1", almostNow()))
                                .withSecrets(new ObjectReferenceBuilder().withName("Secret1").build(), new ObjectReferenceBuilder().withName("Secret2").build())
                                .build(),
                        List.of("sa1", 2L, "0s")),

                arguments("TestPrintNamespace: basic namespace with status and age", ConfigTables.NAMESPACE,
                        new NamespaceBuilder().withMetadata(created("namespace1", almostNow())).withNewStatus().withPhase("FooStatus").endStatus().build(),
                        List.of("namespace1", "FooStatus", "0s")),
                arguments("TestPrintNamespace: basic namespace without status or age", ConfigTables.NAMESPACE,
                        new NamespaceBuilder().withMetadata(named("namespace2")).build(), List.of("namespace2", "", "<unknown>")),

                arguments("TestPrintPersistentVolumeClaim: test1 bound", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        claim("test1", "my-volume", null, null, "Filesystem", "Bound", "ReadOnlyMany", "4Gi"),
                        List.of("test1", "Bound", "my-volume", "4Gi", "ROX", "", "<unset>", "<unknown>", "Filesystem")),
                arguments("TestPrintPersistentVolumeClaim: test2 lost, no volume", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        claim("test2", null, null, null, "Filesystem", "Lost", "ReadOnlyMany", "4Gi"),
                        List.of("test2", "Lost", "", "", "", "", "<unset>", "<unknown>", "Filesystem")),
                arguments("TestPrintPersistentVolumeClaim: test3 pending", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        claim("test3", "my-volume", null, null, "Filesystem", "Pending", "ReadWriteMany", "10Gi"),
                        List.of("test3", "Pending", "my-volume", "10Gi", "RWX", "", "<unset>", "<unknown>", "Filesystem")),
                arguments("TestPrintPersistentVolumeClaim: test4 storage class", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        claim("test4", "my-volume", "my-scn", null, "Filesystem", "Pending", "ReadWriteOnce", "10Gi"),
                        List.of("test4", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "<unset>", "<unknown>", "Filesystem")),
                arguments("TestPrintPersistentVolumeClaim: test5 no volume mode", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        claim("test5", "my-volume", "my-scn", null, null, "Pending", "ReadWriteOnce", "10Gi"),
                        List.of("test5", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "<unset>", "<unknown>", "<unset>")),
                arguments("TestPrintPersistentVolumeClaim: test5 volume attributes class", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        claim("test5", "my-volume", "my-scn", "my-vacn", null, "Pending", "ReadWriteOnce", "10Gi"),
                        List.of("test5", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "my-vacn", "<unknown>", "<unset>")),
                arguments("printPersistentVolumeClaim: a deleted claim is Terminating; the beta annotation names the class",
                        ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        new PersistentVolumeClaimBuilder(claim("data-0", "pv-1", "standard", null, "Filesystem", "Bound", "ReadWriteOnce", "1024Mi"))
                                .editMetadata().withDeletionTimestamp(FIVE_MINUTES_AGO)
                                .withAnnotations(Map.of("volume.beta.kubernetes.io/storage-class", "fast")).endMetadata().build(),
                        List.of("data-0", "Terminating", "pv-1", "1Gi", "RWO", "fast", "<unset>", "<unknown>", "Filesystem")),
                arguments("GetAccessModesAsString: always RWO,ROX,RWX,RWOP, each once", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        new PersistentVolumeClaimBuilder(claim("modes", "pv-2", null, null, null, "Bound", "ReadWriteOncePod", "1Gi"))
                                .editStatus().withAccessModes("ReadWriteOncePod", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce").endStatus().build(),
                        List.of("modes", "Bound", "pv-2", "1Gi", "RWO,RWX,RWOP", "", "<unset>", "<unknown>", "<unset>")),
                arguments("printPersistentVolumeClaim: a bound claim without a storage capacity prints 0", ConfigTables.PERSISTENT_VOLUME_CLAIM,
                        new PersistentVolumeClaimBuilder().withMetadata(named("nocap")).withNewSpec().withVolumeName("pv-3").endSpec().build(),
                        List.of("nocap", "", "pv-3", "0", "", "", "<unset>", "<unknown>", "<unset>")),

                arguments("TestPrintLease: lease1", ConfigTables.LEASE,
                        new LeaseBuilder().withMetadata(created("lease1", almostNow())).withNewSpec().withHolderIdentity("holder1").endSpec().build(),
                        List.of("lease1", "holder1", "0s")),
                arguments("TestPrintLease: lease2", ConfigTables.LEASE,
                        new LeaseBuilder().withMetadata(created("lease2", FIVE_MINUTES_AGO)).withNewSpec().withHolderIdentity("holder2").endSpec().build(),
                        List.of("lease2", "holder2", "5m")),
                arguments("printLease: no holder", ConfigTables.LEASE,
                        new LeaseBuilder().withMetadata(created("lease3", FIVE_MINUTES_AGO)).withNewSpec().endSpec().build(), List.of("lease3", "", "5m")),

                arguments("TestTableRowDeepCopyShouldNotPanic: ConfigMap", ConfigTables.CONFIG_MAP, new ConfigMap(), List.of("", 0L, "<unknown>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Secret", ConfigTables.SECRET, new Secret(), List.of("", "", 0L, "<unknown>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: ServiceAccount", ConfigTables.SERVICE_ACCOUNT, new ServiceAccount(),
                        List.of("", 0L, "<unknown>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Namespace", ConfigTables.NAMESPACE, new Namespace(), List.of("", "", "<unknown>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: PersistentVolumeClaim", ConfigTables.PERSISTENT_VOLUME_CLAIM, new PersistentVolumeClaim(),
                        List.of("", "", "", "", "", "", "<unset>", "<unknown>", "<unset>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Lease", ConfigTables.LEASE, new Lease(), List.of("", "", "<unknown>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void row(String upstreamCase, KindTable<?> table, HasMetadata object, List<Object> cells) {
        // upstream prints these without GenerateOptions{Wide}, yet printPersistentVolumeClaim always adds VolumeMode
        List<Object> printed = table == ConfigTables.PERSISTENT_VOLUME_CLAIM ? wide(table, object) : narrow(table, object);
        assertThat(printed).containsExactlyElementsOf(cells);
    }

    private static PersistentVolumeClaim claim(String name, String volumeName, String storageClass, String attributesClass, String volumeMode,
            String phase, String accessMode, String capacity) {
        return new PersistentVolumeClaimBuilder().withMetadata(new ObjectMetaBuilder().withName(name).build()).withNewSpec()
                .withVolumeName(volumeName).withStorageClassName(storageClass).withVolumeAttributesClassName(attributesClass)
                .withVolumeMode(volumeMode).endSpec()
                .withNewStatus().withPhase(phase).withAccessModes(accessMode).withCapacity(Map.of("storage", new Quantity(capacity))).endStatus()
                .build();
    }
}
