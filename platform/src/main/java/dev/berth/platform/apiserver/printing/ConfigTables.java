package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.map;
import static dev.berth.platform.apiserver.printing.Cells.str;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The small tables: upstream's {@code printConfigMap}, {@code printSecret}, {@code printServiceAccount},
 * {@code printNamespace}, {@code printPersistentVolumeClaim} and {@code printLease}. Pure.
 */
final class ConfigTables {

    /** {@code ConfigMap{}.SwaggerDoc()["data"]}. */
    private static final String CONFIGMAP_DATA =
            "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', "
            + "'_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys "
            + "stored in Data must not overlap with the keys in the BinaryData field, this is enforced during "
            + "validation process.";
    /** {@code Secret{}.SwaggerDoc()["type"]}. */
    private static final String SECRET_TYPE =
            "Used to facilitate programmatic handling of secret data. More info: "
            + "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types";
    /** {@code Secret{}.SwaggerDoc()["data"]}. */
    private static final String SECRET_DATA =
            "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or "
            + "'.'. The serialized form of the secret data is a base64 encoded string, representing the "
            + "arbitrary (possibly non-string) data value here. Described in "
            + "https://tools.ietf.org/html/rfc4648#section-4";
    /** {@code ServiceAccount{}.SwaggerDoc()["secrets"]}. */
    private static final String SERVICEACCOUNT_SECRETS =
            "Secrets is a list of the secrets in the same namespace that pods running using this "
            + "ServiceAccount are allowed to use. Pods are only limited to this list if this service account "
            + "has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The "
            + "\"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer "
            + "separate namespaces to isolate access to mounted secrets. This field should not be used to "
            + "find auto-generated service account token secrets for use outside of pods. Instead, tokens can "
            + "be requested directly using the TokenRequest API, or service account token secrets can be "
            + "manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret";
    /** {@code PersistentVolumeClaimStatus{}.SwaggerDoc()["phase"]}. */
    private static final String PERSISTENTVOLUMECLAIMSTATUS_PHASE =
            "phase represents the current phase of PersistentVolumeClaim.";
    /** {@code PersistentVolumeClaimSpec{}.SwaggerDoc()["volumeName"]}. */
    private static final String PERSISTENTVOLUMECLAIMSPEC_VOLUMENAME =
            "volumeName is the binding reference to the PersistentVolume backing this claim.";
    /** {@code PersistentVolumeClaimStatus{}.SwaggerDoc()["capacity"]}. */
    private static final String PERSISTENTVOLUMECLAIMSTATUS_CAPACITY =
            "capacity represents the actual resources of the underlying volume.";
    /** {@code PersistentVolumeClaimStatus{}.SwaggerDoc()["accessModes"]}. */
    private static final String PERSISTENTVOLUMECLAIMSTATUS_ACCESSMODES =
            "accessModes contains the actual access modes the volume backing the PVC has. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1";
    /** {@code PersistentVolumeClaimSpec{}.SwaggerDoc()["volumeMode"]}. */
    private static final String PERSISTENTVOLUMECLAIMSPEC_VOLUMEMODE =
            "volumeMode defines what type of volume is required by the claim. Value of Filesystem is "
            + "implied when not included in claim spec.";
    /** {@code LeaseSpec{}.SwaggerDoc()["holderIdentity"]}. */
    private static final String LEASESPEC_HOLDERIDENTITY =
            "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader "
            + "Election is used, the holder identity must be equal to the elected "
            + "LeaseCandidate.metadata.name field.";

    static final KindTable<ConfigMap> CONFIG_MAP = new KindTable<>("v1", "ConfigMap", ConfigMap.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Data", CONFIGMAP_DATA),
            TableColumn.AGE), ConfigTables::configMap);

    static final KindTable<Secret> SECRET = new KindTable<>("v1", "Secret", Secret.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Type", SECRET_TYPE),
            TableColumn.string("Data", SECRET_DATA),
            TableColumn.AGE), ConfigTables::secret);

    static final KindTable<ServiceAccount> SERVICE_ACCOUNT = new KindTable<>("v1", "ServiceAccount", ServiceAccount.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Secrets", SERVICEACCOUNT_SECRETS),
            TableColumn.AGE), ConfigTables::serviceAccount);

    static final KindTable<Namespace> NAMESPACE = new KindTable<>("v1", "Namespace", Namespace.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Status", "The status of the namespace"),
            TableColumn.AGE), ConfigTables::namespace);

    static final KindTable<PersistentVolumeClaim> PERSISTENT_VOLUME_CLAIM = new KindTable<>("v1", "PersistentVolumeClaim",
            PersistentVolumeClaim.class, List.of(
                    TableColumn.NAME,
                    TableColumn.string("Status", PERSISTENTVOLUMECLAIMSTATUS_PHASE),
                    TableColumn.string("Volume", PERSISTENTVOLUMECLAIMSPEC_VOLUMENAME),
                    TableColumn.string("Capacity", PERSISTENTVOLUMECLAIMSTATUS_CAPACITY),
                    TableColumn.string("Access Modes", PERSISTENTVOLUMECLAIMSTATUS_ACCESSMODES),
                    TableColumn.string("StorageClass", "StorageClass of the pvc"),
                    TableColumn.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
                    TableColumn.AGE,
                    TableColumn.wide("VolumeMode", PERSISTENTVOLUMECLAIMSPEC_VOLUMEMODE)), ConfigTables::persistentVolumeClaim);

    static final KindTable<Lease> LEASE = new KindTable<>("coordination.k8s.io/v1", "Lease", Lease.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Holder", LEASESPEC_HOLDERIDENTITY),
            TableColumn.AGE), ConfigTables::lease);

    /** {@code core.BetaStorageClassAnnotation}: read before {@code spec.storageClassName}. */
    private static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
    /** {@code GetAccessModesAsString}'s fixed order and abbreviations. */
    private static final Map<String, String> ACCESS_MODES = Map.of("ReadWriteOnce", "RWO", "ReadOnlyMany", "ROX", "ReadWriteMany", "RWX",
            "ReadWriteOncePod", "RWOP");
    private static final List<String> ACCESS_MODE_ORDER = List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

    private ConfigTables() {}

    static Row configMap(ConfigMap cm, Ages ages) {
        return Row.of(Cells.name(cm), (long) (map(cm.getData()).size() + map(cm.getBinaryData()).size()), ages.created(cm));
    }

    /** DATA counts {@code stringData}'s keys too: the v1 conversion merges them into {@code data}. */
    static Row secret(Secret s, Ages ages) {
        Set<String> keys = new HashSet<>(map(s.getData()).keySet());
        keys.addAll(map(s.getStringData()).keySet());
        return Row.of(Cells.name(s), str(s.getType()), (long) keys.size(), ages.created(s));
    }

    static Row serviceAccount(ServiceAccount sa, Ages ages) {
        return Row.of(Cells.name(sa), (long) list(sa.getSecrets()).size(), ages.created(sa));
    }

    static Row namespace(Namespace ns, Ages ages) {
        return Row.of(Cells.name(ns), ns.getStatus() == null ? "" : str(ns.getStatus().getPhase()), ages.created(ns));
    }

    static Row persistentVolumeClaim(PersistentVolumeClaim pvc, Ages ages) {
        PersistentVolumeClaimSpec spec = pvc.getSpec() == null ? new PersistentVolumeClaimSpec() : pvc.getSpec();
        PersistentVolumeClaimStatus status = pvc.getStatus() == null ? new PersistentVolumeClaimStatus() : pvc.getStatus();
        String phase = pvc.getMetadata() != null && pvc.getMetadata().getDeletionTimestamp() != null ? "Terminating" : str(status.getPhase());
        String capacity = "";
        String accessModes = "";
        if (!Cells.isEmpty(spec.getVolumeName())) { // bound: what the volume gives, not what was asked
            var storage = map(status.getCapacity()).get("storage");
            capacity = storage == null ? "0" : CanonicalQuantity.string(storage);
            accessModes = accessModes(list(status.getAccessModes()));
        }
        return Row.of(Cells.name(pvc), phase, str(spec.getVolumeName()), capacity, accessModes, storageClass(pvc, spec),
                spec.getVolumeAttributesClassName() == null ? "<unset>" : spec.getVolumeAttributesClassName(),
                ages.created(pvc), spec.getVolumeMode() == null ? "<unset>" : spec.getVolumeMode());
    }

    private static String storageClass(PersistentVolumeClaim pvc, PersistentVolumeClaimSpec spec) {
        Map<String, String> annotations = pvc.getMetadata() == null ? Map.of() : map(pvc.getMetadata().getAnnotations());
        if (annotations.containsKey(BETA_STORAGE_CLASS)) {
            return annotations.get(BETA_STORAGE_CLASS);
        }
        return str(spec.getStorageClassName());
    }

    /** {@code GetAccessModesAsString}: RWO, ROX, RWX, RWOP, each once, always in that order. */
    private static String accessModes(List<String> modes) {
        List<String> shown = new ArrayList<>();
        for (String mode : ACCESS_MODE_ORDER) {
            if (modes.contains(mode)) {
                shown.add(ACCESS_MODES.get(mode));
            }
        }
        return String.join(",", shown);
    }

    static Row lease(Lease lease, Ages ages) {
        return Row.of(Cells.name(lease), lease.getSpec() == null ? "" : str(lease.getSpec().getHolderIdentity()), ages.created(lease));
    }
}
