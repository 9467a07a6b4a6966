package dev.berth.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.api.manifest.ManifestReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePinningTest {

    static final String ORDER = "127.0.0.1:5000/berth/order-service@sha256:" + "e".repeat(64);
    static final String PAYMENT = "127.0.0.1:5000/berth/payment-service@sha256:" + "8".repeat(64);
    static final Map<String, String> DIGESTS = ImagePinning.parseDigests("order-service " + ORDER + "\npayment-service " + PAYMENT + "\n");

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:5000/berth/order-service:0.1.0-SNAPSHOT, 127.0.0.1:5000/berth/order-service",
            "127.0.0.1:5000/berth/order-service, 127.0.0.1:5000/berth/order-service",
            "127.0.0.1:5000/berth/order-service@sha256:abc, 127.0.0.1:5000/berth/order-service",
            "postgres:17.6, postgres",
            "ghcr.io/acme/app:1.2@sha256:abc, ghcr.io/acme/app",
    })
    void theRepositoryIsTheImageWithoutTagOrDigestButWithItsRegistryPort(String image, String repository) {
        assertThat(ImagePinning.repository(image)).isEqualTo(repository);
    }

    @Test
    void theBuiltImagesArePinnedByDigestAndOthersAreLeftForValidateToName() throws Exception {
        String rendered = Files.readString(Path.of("src/test/resources/pipeline/policy/bad/tagged-image.yaml"))
                .replace("ghcr.io/acme/order-service:1.4.2", "127.0.0.1:5000/berth/order-service:0.1.0-SNAPSHOT")
                + "---\n" + Files.readString(Path.of("src/test/resources/pipeline/policy/bad/latest-image.yaml"))
                        .replace("name: order-service", "name: other").replace("berth/order-service:latest", "berth/other:latest");
        List<HasMetadata> objects = new ManifestReader(new KubernetesSerialization()).read(rendered);

        List<ImagePinning.Pinned> pinned = ImagePinning.pin(objects, DIGESTS);

        assertThat(pinned).containsExactly(new ImagePinning.Pinned("Deployment/order-service", "spec.template.spec.containers[0].image",
                "127.0.0.1:5000/berth/order-service:0.1.0-SNAPSHOT", ORDER));
        assertThat(((Deployment) objects.get(0)).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(ORDER);
        assertThat(ManifestPolicy.check(objects)).extracting(ManifestPolicy.Violation::object).containsExactly("Deployment/berth/other");
        assertThat(ImagePinning.pin(objects, DIGESTS)).as("pinning again changes nothing").isEmpty();
    }

    @Test
    void aDigestsFileOfAnotherShapeIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> ImagePinning.parseDigests("order-service " + ORDER + "\npayment-service 127.0.0.1:5000/berth/payment-service:latest\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }
}
