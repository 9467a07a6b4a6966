package dev.berth.platform.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reader and validator together, on a corpus of broken manifests: each is refused naming its field. */
public class ManifestCheckTest {

    static final ManifestReader READER = new ManifestReader(new KubernetesSerialization());
    static final ManifestValidator VALIDATOR = new ManifestValidator(ManifestValidator.Limits.defaults());

    public static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              strategy:
                type: RollingUpdate
                rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  terminationGracePeriodSeconds: 30
                  containers:
                    - name: web
                      image: 127.0.0.1:5000/berth/web:1
                      ports:
                        - {name: http, containerPort: 8080, protocol: TCP}
                      env:
                        - {name: MODE, value: fast}
                      resources:
                        requests: {cpu: 250m, memory: 256Mi}
                        limits: {cpu: "1", memory: 512Mi}
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: http}
                        periodSeconds: 5
                      livenessProbe:
                        httpGet: {path: /q/health/live, port: 8080}
            """;

    public static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
                - {name: http, port: 80, targetPort: 8080}
            """;

    public static final String STATEFULSET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
            spec:
              serviceName: db
              replicas: 1
              selector:
                matchLabels: {app: db}
              template:
                metadata:
                  labels: {app: db}
                spec:
                  containers:
                    - name: postgres
                      image: postgres:17.6
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec:
                    accessModes: [ReadWriteOnce]
                    resources:
                      requests: {storage: 1Gi}
            """;

    static List<HasMetadata> check(String body) {
        List<HasMetadata> objects = READER.read(body);
        VALIDATOR.validate(objects);
        return objects;
    }

    @Test
    void goodManifestsPass() {
        List<HasMetadata> objects = check(DEPLOYMENT + "---\n" + SERVICE + "---\n" + STATEFULSET + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {LOG_LEVEL: INFO}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                data: {password: c2VjcmV0}
                stringData: {username: berth}
                """);
        assertThat(objects).hasSize(5);
        assertThat(((Deployment) objects.get(0)).getSpec().getReplicas()).isEqualTo(2);
    }

    /** A zero host port is an unset one (a Go int32), as upstream's validateContainerPorts reads it; what protobuf bodies carry. */
    @Test
    void hostPortZeroIsUnset() {
        assertThat(check(DEPLOYMENT.replace("containerPort: 8080, protocol: TCP}", "containerPort: 8080, hostPort: 0, protocol: TCP}"))).hasSize(1);
    }

    @Test
    void jsonListsAreAccepted() {
        String json = """
                {"apiVersion":"v1","kind":"List","items":[
                  {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"}},
                  {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}]}
                """;
        assertThat(check(json)).hasSize(2);
    }

    static Stream<Arguments> brokenManifests() {
        return Stream.of(
                broken("YAML syntax", "apiVersion: v1\nkind: Service\nmetadata: [\n", "document[0]"),
                broken("empty body", "   \n", "body"),
                broken("only comments", "# nothing\n---\n# here\n", "body"),
                broken("not an object", "- a\n- b\n", "document[0]"),
                broken("unknown kind", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", "document[0].kind"),
                broken("core-owned kind", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n", "document[0].kind"),
                broken("replicas is a string", DEPLOYMENT.replace("replicas: 2", "replicas: two"), "document[0].spec.replicas"),
                broken("typo in a field", DEPLOYMENT.replace("replicas: 2", "replica: 2"), "document[0].spec.replica"),
                broken("unknown container field", DEPLOYMENT.replace("image: 127.0.0.1:5000/berth/web:1", "image: 127.0.0.1:5000/berth/web:1\n          imagePullSecret: x"), "document[0].spec.template.spec.containers[0].imagePullSecret"),
                broken("missing name", DEPLOYMENT.replace("  name: web\n  labels", "  labels"), "document[0].metadata.name"),
                broken("invalid name", DEPLOYMENT.replace("  name: web\n", "  name: Web_App\n"), "document[0].metadata.name"),
                broken("invalid namespace", DEPLOYMENT.replace("  name: web\n", "  name: web\n  namespace: Bad_NS\n"), "document[0].metadata.namespace"),
                broken("missing image", DEPLOYMENT.replace("          image: 127.0.0.1:5000/berth/web:1\n", ""), "document[0].spec.template.spec.containers[0].image"),
                broken("blank image", DEPLOYMENT.replace("image: 127.0.0.1:5000/berth/web:1", "image: \"\""), "document[0].spec.template.spec.containers[0].image"),
                broken("no containers", DEPLOYMENT.substring(0, DEPLOYMENT.indexOf("      containers:")) + "      containers: []\n", "document[0].spec.template.spec.containers"),
                broken("selector does not match template", DEPLOYMENT.replace("matchLabels: {app: web}", "matchLabels: {app: api}"), "document[0].spec.selector"),
                broken("missing selector", DEPLOYMENT.replace("  selector:\n    matchLabels: {app: web}\n", ""), "document[0].spec.selector"),
                broken("absurd replicas", DEPLOYMENT.replace("replicas: 2", "replicas: 100000"), "document[0].spec.replicas"),
                broken("negative replicas", DEPLOYMENT.replace("replicas: 2", "replicas: -1"), "document[0].spec.replicas"),
                broken("absurd memory", DEPLOYMENT.replace("memory: 512Mi", "memory: 64Ti"), "document[0].spec.template.spec.containers[0].resources.limits.memory"),
                broken("absurd cpu", DEPLOYMENT.replace("cpu: \"1\"", "cpu: \"5000\""), "document[0].spec.template.spec.containers[0].resources.limits.cpu"),
                broken("request above limit", DEPLOYMENT.replace("memory: 256Mi", "memory: 1Gi"), "document[0].spec.template.spec.containers[0].resources.requests.memory"),
                broken("not a quantity", DEPLOYMENT.replace("cpu: 250m", "cpu: lots"), "document[0].spec.template.spec.containers[0].resources.requests.cpu"),
                broken("port out of range", DEPLOYMENT.replace("containerPort: 8080", "containerPort: 70000"), "document[0].spec.template.spec.containers[0].ports[0].containerPort"),
                broken("host port out of range", DEPLOYMENT.replace("containerPort: 8080,", "containerPort: 8080, hostPort: 70000,"),
                        "document[0].spec.template.spec.containers[0].ports[0].hostPort"),
                broken("probe names a missing port", DEPLOYMENT.replace("port: http}", "port: metrics}"), "document[0].spec.template.spec.containers[0].readinessProbe.httpGet.port"),
                broken("probe without handler", DEPLOYMENT.replace("httpGet: {path: /q/health/live, port: 8080}", "periodSeconds: 3"), "document[0].spec.template.spec.containers[0].livenessProbe"),
                broken("probe period 0", DEPLOYMENT.replace("periodSeconds: 5", "periodSeconds: 0"), "document[0].spec.template.spec.containers[0].readinessProbe.periodSeconds"),
                broken("both surge and unavailable 0", DEPLOYMENT.replace("{maxSurge: 1, maxUnavailable: 0}", "{maxSurge: 0, maxUnavailable: 0}"), "document[0].spec.strategy.rollingUpdate"),
                broken("bad percentage", DEPLOYMENT.replace("{maxSurge: 1, maxUnavailable: 0}", "{maxSurge: 150%, maxUnavailable: 0}"), "document[0].spec.strategy.rollingUpdate.maxSurge"),
                broken("unknown strategy", DEPLOYMENT.replace("type: RollingUpdate", "type: BlueGreen"), "document[0].spec.strategy.type"),
                broken("bad env name", DEPLOYMENT.replace("name: MODE", "name: 1MODE"), "document[0].spec.template.spec.containers[0].env[0].name"),
                broken("duplicate container", DEPLOYMENT.replace("      containers:\n", "      containers:\n        - {name: web, image: x}\n"), "document[0].spec.template.spec.containers[1].name"),
                broken("bad label value", DEPLOYMENT.replace("  labels: {app: web}\nspec", "  labels: {app: \"not ok!\"}\nspec"), "document[0].metadata.labels.app"),
                broken("service without ports", SERVICE.replace("  ports:\n    - {name: http, port: 80, targetPort: 8080}\n", ""), "document[0].spec.ports"),
                broken("service port 0", SERVICE.replace("port: 80,", "port: 0,"), "document[0].spec.ports[0].port"),
                broken("service name too long", SERVICE.replace("name: web\n", "name: " + "s".repeat(64) + "\n"), "document[0].metadata.name"),
                broken("statefulset without serviceName", STATEFULSET.replace("  serviceName: db\n", ""), "document[0].spec.serviceName"),
                broken("absurd volume", STATEFULSET.replace("storage: 1Gi", "storage: 500Ti"), "document[0].spec.volumeClaimTemplates[0].spec.resources.requests.storage"),
                broken("secret not base64", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: \"not base64!\"}\n", "document[0].data.password"),
                broken("configmap bad key", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {\"bad key\": x}\n", "document[0].data.bad key"),
                broken("configmap key '..' (IsConfigMapKey)", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {\"..data\": x}\n", "document[0].data...data"),
                broken("second document broken", SERVICE + "---\n" + DEPLOYMENT.replace("replicas: 2", "replicas: many"), "document[1].spec.replicas"),
                broken("same object twice", SERVICE + "---\n" + SERVICE, "document[1].metadata.name"),
                broken("hpa min above max", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 5\n  maxReplicas: 2\n", "document[0].spec.minReplicas"));
    }

    static Arguments broken(String name, String yaml, String field) {
        return Arguments.of(name, yaml, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenManifests")
    void brokenManifestsAreRefusedNamingTheField(String name, String yaml, String field) {
        assertThatThrownBy(() -> check(yaml))
                .isInstanceOfSatisfying(ManifestException.class, e ->
                        assertThat(e.errors()).extracting(Problem.FieldError::field).contains(field));
    }
}
