package dev.berth.platform.apiserver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who reads what on the Kubernetes API, by RBAC with the bootstrap bindings of the core's token roles: viewers read
 * everything but Secrets (Kubernetes' {@code view} ClusterRole), deployers read Secrets too ({@code edit}), a discovery
 * token reads Pods ({@code berth:prometheus}: what Prometheus' Kubernetes discovery needs) and the Prometheus service
 * discovery, nothing else. (Anonymous and unknown tokens, a viewer's get of a Secret: {@link KubernetesApiTest}.)
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class ReadsByRoleApiTest {

    static final String SECRET = """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"password":"czNjcjN0"}}""";
    static final String CONFIG_MAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"fast"}}""";

    @BeforeEach
    void objects() {
        given().auth().oauth2(CoreApiTokens.DEPLOYER).contentType(ContentType.JSON).body(SECRET).post("/api/v1/namespaces/default/secrets")
                .then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
        given().auth().oauth2(CoreApiTokens.DEPLOYER).contentType(ContentType.JSON).body(CONFIG_MAP).post("/api/v1/namespaces/default/configmaps")
                .then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
    }

    @ParameterizedTest(name = "{0} GET {1} -> {2}")
    @CsvSource({
            // Kubernetes' view: no get, list or watch of Secrets
            "viewer,    /api/v1/secrets,                                    403",
            "viewer,    /api/v1/namespaces/default/secrets,                 403",
            "viewer,    /api/v1/namespaces/default/secrets?watch=true,      403",
            "viewer,    /api/v1/configmaps,                                 200",
            "viewer,    /api/v1/namespaces/default/configmaps/settings,     200",
            "viewer,    /api/v1/pods,                                       200",
            "viewer,    /berth/v1/sd/prometheus,                            200",
            // Kubernetes' edit: Secrets with their data
            "deployer,  /api/v1/secrets,                                    200",
            "deployer,  /api/v1/namespaces/default/secrets/db,              200",
            "admin,     /api/v1/secrets,                                    200",
            // Prometheus' discovery: Pods and the discovery endpoint, nothing else
            "discovery, /api/v1/namespaces/default/pods/any,                404",
            "discovery, /api/v1/pods?watch=true&timeoutSeconds=1,           200",
            "discovery, /berth/v1/sd/prometheus,                            200",
            "discovery, /api/v1/secrets,                                    403",
            "discovery, /api/v1/namespaces/default/secrets/db,              403",
            "discovery, /api/v1/configmaps,                                 403",
            "discovery, /api/v1/nodes,                                      403",
            "discovery, /api/v1/namespaces/default/configmaps/settings,     403",
            "discovery, /api/v1/namespaces/default/pods/any/log,            403",
            "discovery, /berth/v1/logs?q=x,                                 403",
    })
    void readsAllowedByRole(String role, String path, int status) {
        given().auth().oauth2(CoreApiTokens.of(role)).get(path).then().statusCode(status);
    }

    @Test
    void aViewerIsRefusedTheSecretListWithAStatusNamingTheResourceAndSeesNoData() {
        given().auth().oauth2(CoreApiTokens.VIEWER).get("/api/v1/secrets").then()
                .statusCode(403)
                .body("kind", equalTo("Status"))
                .body("reason", equalTo("Forbidden"))
                .body("details.kind", equalTo("secrets"))
                .body("message", equalTo("secrets is forbidden: User \"ops\" cannot list resource \"secrets\" in API group \"\" at the cluster scope"))
                .body(not(containsString("czNjcjN0")));
    }

    @Test
    void aDeployerReadsSecretsWithTheirData() {
        given().auth().oauth2(CoreApiTokens.DEPLOYER).get("/api/v1/namespaces/default/secrets/db").then()
                .statusCode(200).body("data.password", equalTo("czNjcjN0"));
    }

    @Test
    void aDiscoveryTokenCannotWrite() {
        String changed = CONFIG_MAP.replace("fast", "slow");
        given().auth().oauth2(CoreApiTokens.DISCOVERY).contentType(ContentType.JSON).body(changed)
                .put("/api/v1/namespaces/default/configmaps/settings").then().statusCode(403).body("reason", equalTo("Forbidden"));
        given().auth().oauth2(CoreApiTokens.DISCOVERY).contentType("application/merge-patch+json").body("{\"data\":{\"mode\":\"slow\"}}")
                .patch("/api/v1/namespaces/default/configmaps/settings").then().statusCode(403);
        given().auth().oauth2(CoreApiTokens.DEPLOYER).get("/api/v1/namespaces/default/configmaps/settings").then()
                .statusCode(200).body("data.mode", equalTo("fast"));
    }

    /** The former token file's line with a 16-character token is dropped when the core converts the file. */
    @Test
    void aTokenOfSixteenCharactersIsNotAccepted() {
        given().auth().oauth2(CoreApiTokens.SHORT_ADMIN).get("/api/v1/pods").then().statusCode(401).body("reason", equalTo("Unauthorized"));
    }
}
