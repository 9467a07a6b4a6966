package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code fieldValidation} as kube-apiserver applies it: the rows come from upstream's
 * {@code test/integration/apiserver/apply/field_validation_test.go} (testFieldValidationPost, ...Put, ...PatchTyped):
 * unknown and duplicate fields refused under Strict with their paths, warned under Warn (the default), dropped
 * silently under Ignore — and never stored.
 */
class FieldValidationTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":1,"unknownField":"x","replicas":2,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
               {"name":"a","image":"a:1"},
               {"name":"b","image":"b:1","imagePullPolicyTwo":"Always","ports":[{"containerPort":80,"containerPort":81}]}]}}}}
            """;

    @Test
    void strictRefusesUnknownThenDuplicateFieldsByPath() {
        Deployment d = JSON.unmarshal(DEPLOYMENT, Deployment.class);
        assertThatThrownBy(() -> FieldValidation.STRICT.check(ResourceKind.DEPLOYMENT, d, DEPLOYMENT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.status().getReason()).isEqualTo("BadRequest");
                    assertThat(e.status().getMessage()).isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: "
                            + "strict decoding error: unknown field \"spec.unknownField\", "
                            + "unknown field \"spec.template.spec.containers[1].imagePullPolicyTwo\", "
                            + "duplicate field \"spec.replicas\", duplicate field \"spec.template.spec.containers[1].ports[0].containerPort\"");
                });
    }

    @Test
    void warnListsTheProblemsAndDropsTheUnknownFields() {
        Deployment d = JSON.unmarshal(DEPLOYMENT, Deployment.class);
        List<String> warnings = FieldValidation.WARN.check(ResourceKind.DEPLOYMENT, d, DEPLOYMENT);
        assertThat(warnings).containsExactly("unknown field \"spec.unknownField\"",
                "unknown field \"spec.template.spec.containers[1].imagePullPolicyTwo\"",
                "duplicate field \"spec.replicas\"", "duplicate field \"spec.template.spec.containers[1].ports[0].containerPort\"");
        assertThat(JSON.asJson(d)).doesNotContain("unknownField").doesNotContain("imagePullPolicyTwo");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2); // the last of duplicates wins, as encoding/json decodes
    }

    @Test
    void ignoreSaysNothingAndDropsTheUnknownFields() {
        Deployment d = JSON.unmarshal(DEPLOYMENT, Deployment.class);
        assertThat(FieldValidation.IGNORE.check(ResourceKind.DEPLOYMENT, d, DEPLOYMENT)).isEmpty();
        assertThat(JSON.asJson(d)).doesNotContain("unknownField");
    }

    @Test
    void aCleanObjectPassesEveryDirective() {
        String clean = DEPLOYMENT.replace("\"unknownField\":\"x\",\"replicas\":2,", "").replace("\"imagePullPolicyTwo\":\"Always\",", "")
                .replace(",\"containerPort\":81", "");
        for (FieldValidation v : FieldValidation.values()) {
            assertThat(v.check(ResourceKind.DEPLOYMENT, JSON.unmarshal(clean, Deployment.class), clean)).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null|WARN", "''|WARN", "Strict|STRICT", "Warn|WARN", "Ignore|IGNORE"})
    void directives(String directive, FieldValidation expected) {
        assertThat(FieldValidation.of(directive)).isEqualTo(expected);
    }

    @Test
    void anUnknownDirectiveIsABadRequest() {
        assertThatThrownBy(() -> FieldValidation.of("strict")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.status().getMessage()).isEqualTo("fieldValidation: Unsupported value: \"strict\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"a\":2}|a",
            "{\"a\":{\"b\":1,\"c\":{},\"b\":2}}|a.b",
            "{\"l\":[{\"x\":1},{\"x\":1,\"x\":2}]}|l[1].x",
            "{\"l\":[[1,2],{\"y\":[],\"y\":0}]}|l[1].y"})
    void duplicatePaths(String json, String path) {
        assertThat(FieldValidation.duplicateFields(json)).containsExactly(path);
    }

    @Test
    void warningHeadersQuoteTheText() {
        assertThat(FieldValidation.warningHeader("unknown field \"spec.x\"")).isEqualTo("299 - \"unknown field \\\"spec.x\\\"\"");
    }
}
