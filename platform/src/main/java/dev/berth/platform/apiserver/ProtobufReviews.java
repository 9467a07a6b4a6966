package dev.berth.platform.apiserver;

import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewSpec;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two self reviews as kubectl sends them: its typed client posts Kubernetes' protobuf encoding (the
 * {@code k8s\0} envelope around a {@code runtime.Unknown} whose {@code raw} is the object, field numbers from
 * {@code k8s.io/api/authorization/v1/generated.proto}) and reads the JSON answer. Only the string fields a review's
 * spec has are read; anything else is skipped. Pure.
 */
final class ProtobufReviews {

    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    private ProtobufReviews() {}

    static SelfSubjectAccessReview access(byte[] body) {
        Map<Integer, List<byte[]>> spec = message(field(message(raw(body)), 2));
        SelfSubjectAccessReviewSpec s = new SelfSubjectAccessReviewSpec();
        if (spec.containsKey(1)) {
            Map<Integer, List<byte[]>> r = message(field(spec, 1));
            s.setResourceAttributes(new ResourceAttributes(null, string(r, 3), null, string(r, 7), string(r, 1), string(r, 5),
                    string(r, 6), string(r, 2), string(r, 4)));
        }
        if (spec.containsKey(2)) {
            Map<Integer, List<byte[]>> n = message(field(spec, 2));
            s.setNonResourceAttributes(new NonResourceAttributes(string(n, 1), string(n, 2)));
        }
        SelfSubjectAccessReview review = new SelfSubjectAccessReview();
        review.setSpec(s);
        return review;
    }

    static SelfSubjectRulesReview rules(byte[] body) {
        Map<Integer, List<byte[]>> spec = message(field(message(raw(body)), 2));
        SelfSubjectRulesReview review = new SelfSubjectRulesReview();
        review.setSpec(new SelfSubjectRulesReviewSpec(string(spec, 1)));
        return review;
    }

    /** The object inside the envelope: {@code runtime.Unknown} field 2. */
    private static byte[] raw(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a Kubernetes protobuf object (no k8s\\0 prefix)");
        }
        return field(message(Arrays.copyOfRange(body, MAGIC.length, body.length)), 2);
    }

    private static byte[] field(Map<Integer, List<byte[]>> message, int number) {
        List<byte[]> values = message.get(number);
        return values == null ? new byte[0] : values.get(values.size() - 1);
    }

    private static String string(Map<Integer, List<byte[]>> message, int number) {
        return message.containsKey(number) ? new String(field(message, number), StandardCharsets.UTF_8) : null;
    }

    /** The length-delimited fields of one message by number (varint and fixed fields skipped). */
    static Map<Integer, List<byte[]>> message(byte[] bytes) {
        Map<Integer, List<byte[]>> fields = new HashMap<>();
        int[] at = {0};
        while (at[0] < bytes.length) {
            long key = varint(bytes, at);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> varint(bytes, at);
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    long length = varint(bytes, at);
                    if (length < 0 || at[0] + length > bytes.length) {
                        throw new IllegalArgumentException("truncated protobuf field " + number);
                    }
                    fields.computeIfAbsent(number, n -> new ArrayList<>()).add(Arrays.copyOfRange(bytes, at[0], at[0] + (int) length));
                    at[0] += (int) length;
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + (key & 7) + " of field " + number);
            }
        }
        if (at[0] != bytes.length) {
            throw new IllegalArgumentException("truncated protobuf message");
        }
        return fields;
    }

    private static long varint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= bytes.length) {
                throw new IllegalArgumentException("truncated protobuf varint");
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("protobuf varint longer than 64 bits");
    }
}
