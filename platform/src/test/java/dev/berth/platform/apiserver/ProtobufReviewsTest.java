package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The protobuf envelope kubectl's typed client sends, built here field by field as generated.proto numbers them. */
class ProtobufReviewsTest {

    @Test
    void aResourceReviewReadsEveryAttributeAndSkipsWhatItDoesNotKnow() {
        byte[] attributes = concat(string(1, "team-a"), string(2, "get"), string(3, "apps"), string(4, "v1"), string(5, "deployments"),
                string(6, "scale"), string(7, "web"), varint(10, 1));
        byte[] review = concat(bytes(1, new byte[0]), bytes(2, bytes(1, attributes)));
        byte[] unknown = concat(bytes(1, concat(string(1, "authorization.k8s.io/v1"), string(2, "SelfSubjectAccessReview"))),
                bytes(2, review), string(4, "application/vnd.kubernetes.protobuf"));

        SelfSubjectAccessReview read = ProtobufReviews.access(concat(new byte[] {'k', '8', 's', 0}, unknown));

        ResourceAttributes r = read.getSpec().getResourceAttributes();
        assertThat(new String[] {r.getNamespace(), r.getVerb(), r.getGroup(), r.getVersion(), r.getResource(), r.getSubresource(), r.getName()})
                .containsExactly("team-a", "get", "apps", "v1", "deployments", "scale", "web");
        assertThat(read.getSpec().getNonResourceAttributes()).isNull();
    }

    @Test
    void aRulesReviewReadsItsNamespace() {
        byte[] review = bytes(2, string(1, "team-a"));
        assertThat(ProtobufReviews.rules(concat(new byte[] {'k', '8', 's', 0}, bytes(2, review))).getSpec().getNamespace()).isEqualTo("team-a");
    }

    @Test
    void aBodyThatIsNotTheEnvelopeOrIsCutShortIsRefused() {
        assertThatThrownBy(() -> ProtobufReviews.access("{}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no k8s\\0 prefix");
        byte[] cut = concat(new byte[] {'k', '8', 's', 0}, new byte[] {0x12, 0x05, 0x01});
        assertThatThrownBy(() -> ProtobufReviews.access(cut)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    private static byte[] string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int field, byte[] value) {
        return concat(raw(field << 3 | 2), raw(value.length), value);
    }

    private static byte[] varint(int field, long value) {
        return concat(raw(field << 3), raw(value));
    }

    private static byte[] raw(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
