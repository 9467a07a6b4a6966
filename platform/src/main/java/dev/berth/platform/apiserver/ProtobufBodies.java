package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Request bodies in Kubernetes' protobuf encoding, turned into the JSON the rest of the server reads. kubectl's typed
 * client sends them (every {@code kubectl create <generator>}, drain's evictions, {@code auth can-i}) and, unlike for
 * CBOR, client-go does not fall back to JSON after a 415. The wire form is the {@code k8s\0} envelope around a
 * {@code runtime.Unknown} (its type meta, then the object's bytes); the object is read with the messages of the
 * Kubernetes Java client ({@code io.kubernetes:client-java-proto}, generated from {@code k8s.io/api}'s
 * {@code generated.proto}) and written as kube-apiserver's JSON: IntOrString, Quantity, Time, MicroTime, Duration,
 * RawExtension and FieldsV1 in their JSON forms, int64 as numbers, bytes as base64, the fields Go inlines inlined, only
 * the fields present (proto2) and not an empty string.
 * A field those messages do not know (a newer API than theirs) is refused naming it, never dropped. Pure.
 */
final class ProtobufBodies {

    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final String DECODED = "berth.protobuf-body-as-json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1";
    /**
     * The fields Go inlines into their parent's JSON ({@code json:",inline"}), as {@code Message.field}: their
     * message's fields become the parent's ({@code readinessProbe.handler.httpGet} is {@code readinessProbe.httpGet}).
     */
    /**
     * Go writes a string that is not a pointer even when it is empty, and reads an empty one as unset: such strings are
     * left out, as its JSON ({@code omitempty}) leaves them out; except the pointer strings whose empty value means
     * something of its own ({@code storageClassName: ""}: no dynamic provisioning). Numbers and booleans stay as sent:
     * the defaults and checks treat a zero as upstream's do.
     */
    private static final Set<String> KEEP_EMPTY = Set.of("PersistentVolumeClaimSpec.storageClassName");
    static final Set<String> INLINE = Set.of("Probe.handler", "Volume.volumeSource", "PersistentVolumeSpec.persistentVolumeSource",
            "EphemeralContainer.ephemeralContainerCommon", "PodResourceClaim.source", "ConfigMapEnvSource.localObjectReference",
            "ConfigMapKeySelector.localObjectReference", "ConfigMapProjection.localObjectReference", "ConfigMapVolumeSource.localObjectReference",
            "SecretEnvSource.localObjectReference", "SecretKeySelector.localObjectReference", "SecretProjection.localObjectReference");
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    /** Proto package → its file: the API groups Berth serves that the Java client has messages for, and meta/v1. */
    private static final Map<String, FileDescriptor> FILES = Stream.of(V1.getDescriptor(), V1Apps.getDescriptor(), V1Policy.getDescriptor(),
            V1Rbac.getDescriptor(), V1Authorization.getDescriptor(), V1Autoscaling.getDescriptor(), V1Batch.getDescriptor(),
            V1Networking.getDescriptor(), V1Scheduling.getDescriptor(), V1Storage.getDescriptor(), Meta.getDescriptor())
            .collect(Collectors.toUnmodifiableMap(FileDescriptor::getPackage, Function.identity()));

    private ProtobufBodies() {}

    static boolean is(String contentType) {
        return contentType != null && contentType.startsWith(CONTENT_TYPE);
    }

    /** The request's body as text: JSON decoded from protobuf (once per request), else as it came. Null without a body. */
    static String text(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || !is(ctx.request().getHeader("Content-Type"))) {
            return body == null ? null : body.toString();
        }
        String decoded = ctx.get(DECODED);
        if (decoded == null) {
            try {
                decoded = json(body.getBytes()).toString();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("the body cannot be read as Kubernetes protobuf: " + e.getMessage());
            }
            ctx.put(DECODED, decoded);
        }
        return decoded;
    }

    /** The object in a protobuf body, as kube-apiserver's JSON with its apiVersion and kind. */
    static ObjectNode json(byte[] body) {
        Runtime.Unknown unknown = envelope(body);
        String apiVersion = unknown.getTypeMeta().getApiVersion();
        String kind = unknown.getTypeMeta().getKind();
        Descriptor type = type(apiVersion, kind);
        ObjectNode object = NODES.objectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.setAll(message(parse(type, unknown.getRaw()), kind));
        return object;
    }

    private static Runtime.Unknown envelope(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("no k8s\\0 prefix");
        }
        Runtime.Unknown unknown;
        try {
            unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the envelope is not a runtime.Unknown: " + e.getMessage());
        }
        if (!unknown.getContentEncoding().isEmpty() || !(unknown.getContentType().isEmpty() || is(unknown.getContentType()))) {
            throw new IllegalArgumentException("unsupported content encoding \"" + unknown.getContentEncoding() + "\" or type \""
                    + unknown.getContentType() + "\" inside the envelope");
        }
        if (unknown.getTypeMeta().getKind().isEmpty() || unknown.getTypeMeta().getApiVersion().isEmpty()) {
            throw new IllegalArgumentException("the envelope names no apiVersion and kind");
        }
        return unknown;
    }

    /** The message of {@code kind} in the proto package of {@code apiVersion} ({@code apps/v1} → {@code k8s.io.api.apps.v1}). */
    private static Descriptor type(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        String pkg = group.equals("meta.k8s.io") ? META : "k8s.io.api." + (group.isEmpty() ? "core" : group.split("\\.")[0]) + "." + version;
        FileDescriptor file = FILES.get(pkg);
        Descriptor type = file == null ? null : file.findMessageTypeByName(kind);
        if (type == null) {
            throw new IllegalArgumentException("no protobuf message for " + apiVersion + " " + kind + " here; send it as JSON (Content-Type: application/json)");
        }
        return type;
    }

    private static DynamicMessage parse(Descriptor type, ByteString bytes) {
        try {
            return DynamicMessage.parseFrom(type, bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a " + type.getFullName() + ": " + e.getMessage());
        }
    }

    private static JsonNode value(FieldDescriptor field, Object value, String path) {
        return switch (field.getJavaType()) {
            case MESSAGE -> special((Message) value, path);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case STRING -> NODES.textNode((String) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case ENUM -> NODES.textNode(value.toString());
        };
    }

    /** The Kubernetes types whose JSON is not their message's fields; every other message is an object of its fields. */
    private static JsonNode special(Message m, String path) {
        String name = m.getDescriptorForType().getFullName();
        return switch (name) {
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> number(m, "type") == 1 ? NODES.textNode(string(m, "strVal"))
                    : NODES.numberNode((int) number(m, "intVal"));
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> NODES.textNode(string(m, "string"));
            case META + ".Time" -> number(m, "seconds") == 0 && number(m, "nanos") == 0 ? null // Go's zero time, null in its JSON
                    : NODES.textNode(Instant.ofEpochSecond(number(m, "seconds")).toString());
            case META + ".MicroTime" -> NODES.textNode(MICRO.format(Instant.ofEpochSecond(number(m, "seconds"), number(m, "nanos"))
                    .truncatedTo(ChronoUnit.MICROS)));
            case META + ".Duration" -> NODES.textNode(number(m, "duration") + "ns"); // a Go duration string, in its own unit
            case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> embedded(bytes(m, "raw"), path);
            case META + ".FieldsV1" -> embedded(bytes(m, "Raw"), path);
            default -> message(m, path);
        };
    }

    private static ObjectNode message(Message m, String path) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            throw new IllegalArgumentException(path + ": field(s) " + m.getUnknownFields().asMap().keySet() + " of "
                    + m.getDescriptorForType().getFullName() + " are newer than this server's protobuf messages; send the object as JSON "
                    + "(Content-Type: application/json)");
        }
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            String at = path + "." + field.getName();
            if (field.isMapField()) {
                ObjectNode map = out.putObject(field.getName());
                for (Object entry : (List<?>) e.getValue()) {
                    Message kv = (Message) entry;
                    FieldDescriptor key = kv.getDescriptorForType().findFieldByName("key");
                    FieldDescriptor val = kv.getDescriptorForType().findFieldByName("value");
                    String k = kv.getField(key).toString();
                    map.set(k, value(val, kv.getField(val), at + "[" + k + "]"));
                }
            } else if (field.isRepeated()) {
                ArrayNode list = out.putArray(field.getName());
                List<?> items = (List<?>) e.getValue();
                for (int i = 0; i < items.size(); i++) {
                    list.add(value(field, items.get(i), at + "[" + i + "]"));
                }
            } else if (INLINE.contains(m.getDescriptorForType().getName() + "." + field.getName())) {
                out.setAll((ObjectNode) value(field, e.getValue(), path));
            } else if (!"".equals(e.getValue()) || KEEP_EMPTY.contains(m.getDescriptorForType().getName() + "." + field.getName())) {
                JsonNode v = value(field, e.getValue(), at);
                if (v != null) {
                    out.set(field.getName(), v);
                }
            }
        }
        return out;
    }

    /** A RawExtension's or FieldsV1's bytes: JSON, or an object in the protobuf envelope. */
    private static JsonNode embedded(byte[] raw, String path) {
        if (raw.length == 0) {
            return NODES.nullNode();
        }
        if (raw.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(raw, MAGIC.length), MAGIC)) {
            return json(raw);
        }
        try {
            return MAPPER.readTree(new String(raw, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": the embedded object is neither JSON nor Kubernetes protobuf");
        }
    }

    private static long number(Message m, String field) {
        Object v = m.getField(m.getDescriptorForType().findFieldByName(field));
        return ((Number) v).longValue();
    }

    private static String string(Message m, String field) {
        return (String) m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    private static byte[] bytes(Message m, String field) {
        return ((ByteString) m.getField(m.getDescriptorForType().findFieldByName(field))).toByteArray();
    }
}
