package dev.berth.platform.model;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.AWSElasticBlockStoreVolumeSource;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.AzureDiskVolumeSource;
import io.fabric8.kubernetes.api.model.AzureFileVolumeSource;
import io.fabric8.kubernetes.api.model.CSIVolumeSource;
import io.fabric8.kubernetes.api.model.CephFSVolumeSource;
import io.fabric8.kubernetes.api.model.CinderVolumeSource;
import io.fabric8.kubernetes.api.model.ClusterTrustBundleProjection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.FCVolumeSource;
import io.fabric8.kubernetes.api.model.FlexVolumeSource;
import io.fabric8.kubernetes.api.model.GCEPersistentDiskVolumeSource;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.GlusterfsVolumeSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.ISCSIVolumeSource;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PortworxVolumeSource;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.QuobyteVolumeSource;
import io.fabric8.kubernetes.api.model.RBDVolumeSource;
import io.fabric8.kubernetes.api.model.ScaleIOVolumeSource;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.StorageOSVolumeSource;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.TypedObjectReference;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * apimachinery's {@code equality.Semantic.DeepEqual} for fabric8 model objects: two objects are equal when Go would
 * decode them into equal structs. fabric8 keeps what the JSON said, Go keeps only values, so these are one value:
 * <ul>
 *   <li>absent, {@code null}, an empty map or list (Go: nil and empty maps and slices are semantically equal), an
 *       empty object (Go's empty struct; a pointer to one counts as absent too, as the pod template hash always
 *       took it, and defaulting fills the ones that matter: a pod's {@code securityContext}, an implied
 *       {@code emptyDir});</li>
 *   <li>a field Go holds as a value, not a pointer, absent or at its zero value ({@code readOnly: false},
 *       {@code initialDelaySeconds: 0}, {@code subPath: ""}): a Go client such as kubectl never writes it back;</li>
 *   <li>quantities of one amount ({@code 1Gi} and {@code 1024Mi}), which Semantic compares with {@code Cmp};</li>
 *   <li>maps in any key order.</li>
 * </ul>
 * Which fields are values comes from k8s.io/api's {@code core/v1/types.go} for the types a pod template reaches
 * ({@link #VALUE_SCALARS}, {@link #POINTER_STRINGS}); a field of another type keeps its zero value, so an unknown
 * field can make two objects unequal but never hides a difference. Thread-safe.
 */
public final class SemanticEquality {

    /**
     * The booleans and integers of the pod template's types that Go holds as values: there, {@code false} and 0 are
     * absent. Every other boolean or integer is a pointer, whose {@code false} or 0 is a value of its own.
     */
    static final Map<Class<?>, Set<String>> VALUE_SCALARS = Map.ofEntries(
            Map.entry(PodSpec.class, Set.of("hostNetwork", "hostPID", "hostIPC")),
            Map.entry(Container.class, Set.of("stdin", "stdinOnce", "tty")),
            Map.entry(EphemeralContainer.class, Set.of("stdin", "stdinOnce", "tty")),
            Map.entry(ContainerPort.class, Set.of("hostPort", "containerPort")),
            Map.entry(VolumeMount.class, Set.of("readOnly")),
            Map.entry(Probe.class, Set.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")),
            Map.entry(GRPCAction.class, Set.of("port")),
            Map.entry(SleepAction.class, Set.of("seconds")),
            Map.entry(PreferredSchedulingTerm.class, Set.of("weight")),
            Map.entry(WeightedPodAffinityTerm.class, Set.of("weight")),
            Map.entry(TopologySpreadConstraint.class, Set.of("maxSkew")),
            Map.entry(GCEPersistentDiskVolumeSource.class, Set.of("partition", "readOnly")),
            Map.entry(AWSElasticBlockStoreVolumeSource.class, Set.of("partition", "readOnly")),
            Map.entry(ISCSIVolumeSource.class, Set.of("lun", "readOnly", "chapAuthDiscovery", "chapAuthSession")),
            Map.entry(ScaleIOVolumeSource.class, Set.of("sslEnabled", "readOnly")),
            Map.entry(NFSVolumeSource.class, Set.of("readOnly")),
            Map.entry(GlusterfsVolumeSource.class, Set.of("readOnly")),
            Map.entry(PersistentVolumeClaimVolumeSource.class, Set.of("readOnly")),
            Map.entry(RBDVolumeSource.class, Set.of("readOnly")),
            Map.entry(FlexVolumeSource.class, Set.of("readOnly")),
            Map.entry(CinderVolumeSource.class, Set.of("readOnly")),
            Map.entry(CephFSVolumeSource.class, Set.of("readOnly")),
            Map.entry(FCVolumeSource.class, Set.of("readOnly")),
            Map.entry(AzureFileVolumeSource.class, Set.of("readOnly")),
            Map.entry(QuobyteVolumeSource.class, Set.of("readOnly")),
            Map.entry(PortworxVolumeSource.class, Set.of("readOnly")),
            Map.entry(StorageOSVolumeSource.class, Set.of("readOnly")));

    /**
     * The strings of the pod template's types that Go holds as pointers: there, {@code ""} is a value of its own
     * ({@code storageClassName: ""} asks for no class, absent for the default one). Every other string is a value.
     */
    static final Map<Class<?>, Set<String>> POINTER_STRINGS = Map.ofEntries(
            Map.entry(PodSpec.class, Set.of("runtimeClassName", "preemptionPolicy", "hostnameOverride")),
            Map.entry(Container.class, Set.of("restartPolicy")),
            Map.entry(EphemeralContainer.class, Set.of("restartPolicy")),
            Map.entry(VolumeMount.class, Set.of("recursiveReadOnly", "mountPropagation")),
            Map.entry(HTTPGetAction.class, Set.of("protocol")),
            Map.entry(GRPCAction.class, Set.of("service", "mode")),
            Map.entry(Lifecycle.class, Set.of("stopSignal")),
            Map.entry(SecurityContext.class, Set.of("procMount")),
            Map.entry(PodSecurityContext.class, Set.of("supplementalGroupsPolicy", "fsGroupChangePolicy", "seLinuxChangePolicy")),
            Map.entry(WindowsSecurityContextOptions.class, Set.of("gmsaCredentialSpecName", "gmsaCredentialSpec", "runAsUserName")),
            Map.entry(SeccompProfile.class, Set.of("localhostProfile")),
            Map.entry(AppArmorProfile.class, Set.of("localhostProfile")),
            Map.entry(PodDNSConfigOption.class, Set.of("value")),
            Map.entry(TopologySpreadConstraint.class, Set.of("nodeAffinityPolicy", "nodeTaintsPolicy")),
            Map.entry(PodResourceClaim.class, Set.of("resourceClaimName", "resourceClaimTemplateName")),
            Map.entry(HostPathVolumeSource.class, Set.of("type")),
            Map.entry(ISCSIVolumeSource.class, Set.of("initiatorName")),
            Map.entry(AzureDiskVolumeSource.class, Set.of("cachingMode", "fsType", "kind")),
            Map.entry(CSIVolumeSource.class, Set.of("fsType")),
            Map.entry(ClusterTrustBundleProjection.class, Set.of("name", "signerName")),
            Map.entry(PersistentVolumeClaimSpec.class, Set.of("storageClassName", "volumeMode", "volumeAttributesClassName")),
            Map.entry(TypedLocalObjectReference.class, Set.of("apiGroup")),
            Map.entry(TypedObjectReference.class, Set.of("apiGroup", "namespace")));

    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9,
            "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY_SUFFIXES = Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
    private static final BigDecimal KI = BigDecimal.valueOf(1024);

    private SemanticEquality() {}

    /**
     * The one form of every tree that Go decodes into the same value of {@code type}: what is absent to Go left
     * out, quantities as their amount. Absent as a whole gives {@code null}. {@code tree} is not changed.
     *
     * @param tree a JSON tree of a {@code type}, as the model serializes it
     */
    public static JsonNode canonical(JsonNode tree, Class<?> type) {
        return canonical(tree, ModelProperties.type(type));
    }

    private static JsonNode canonical(JsonNode node, JavaType type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type != null && Quantity.class.equals(type.getRawClass()) && node.isTextual()) {
            return TextNode.valueOf(amount(node.asText()));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            JavaType element = type != null && (type.isCollectionLikeType() || type.isArrayType()) ? type.getContentType() : null;
            for (JsonNode item : node) {
                JsonNode c = canonical(item, element);
                out.add(c == null ? JsonNodeFactory.instance.objectNode() : c); // an element stays, even empty
            }
            return out.isEmpty() ? null : out;
        }
        if (node.isObject()) {
            return type != null && type.isMapLikeType() ? canonicalMap(node, type.getContentType()) : canonicalStruct(node, type);
        }
        return node;
    }

    private static JsonNode canonicalMap(JsonNode node, JavaType values) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = canonical(e.getValue(), values);
            if (c != null) {
                out.set(e.getKey(), c);
            } else if (!e.getValue().isNull()) {
                out.set(e.getKey(), JsonNodeFactory.instance.objectNode()); // a key holding an empty value is still a key
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode canonicalStruct(JsonNode node, JavaType type) {
        Map<String, JavaType> properties = type == null || !ModelProperties.isModel(type) ? Map.of() : ModelProperties.of(type);
        Class<?> owner = type == null ? null : type.getRawClass();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = canonical(e.getValue(), properties.get(e.getKey()));
            if (c != null && !(properties.containsKey(e.getKey()) && zeroValue(owner, e.getKey(), c))) {
                out.set(e.getKey(), c);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Whether {@code value} of the model's field {@code name} is Go's zero value of a field Go holds as a value. */
    private static boolean zeroValue(Class<?> owner, String name, JsonNode value) {
        if (value.isTextual()) {
            return value.asText().isEmpty() && !declared(POINTER_STRINGS, owner, name);
        }
        boolean zero = value.isBoolean() ? !value.asBoolean() : value.isIntegralNumber() && value.asLong() == 0;
        return zero && declared(VALUE_SCALARS, owner, name);
    }

    private static boolean declared(Map<Class<?>, Set<String>> table, Class<?> owner, String name) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            if (table.getOrDefault(c, Set.of()).contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A quantity's amount, one text for one value ({@code 1Gi}, {@code 1024Mi} and {@code 1073741824} alike);
     * computed by moving the decimal point, so an absurd exponent costs nothing. Text that is no quantity stays as
     * it is.
     */
    static String amount(String quantity) {
        String s = quantity.strip();
        int unit = 0;
        while (unit < s.length() && (Character.isDigit(s.charAt(unit)) || "+-.".indexOf(s.charAt(unit)) >= 0)) {
            unit++;
        }
        String suffix = s.substring(unit);
        try {
            BigDecimal number = new BigDecimal(s.substring(0, unit));
            BigDecimal value;
            if (DECIMAL_SUFFIXES.containsKey(suffix)) {
                value = number.scaleByPowerOfTen(DECIMAL_SUFFIXES.get(suffix));
            } else if (BINARY_SUFFIXES.containsKey(suffix)) {
                value = number.multiply(KI.pow(BINARY_SUFFIXES.get(suffix)));
            } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                value = number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
            } else {
                return quantity;
            }
            return value.signum() == 0 ? "0" : value.stripTrailingZeros().toString();
        } catch (NumberFormatException | ArithmeticException e) {
            return quantity;
        }
    }
}
