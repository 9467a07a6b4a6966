package dev.berth.platform.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.berth.platform.api.CoreApiTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who reads what, over HTTP: viewers read everything but Secrets (Kubernetes' {@code view} ClusterRole), deployers
 * read Secrets too ({@code edit}), a discovery token lists Pods and reads the Prometheus service discovery only.
 */
@QuarkusTest
@TestProfile(dev.berth.platform.api.CoreApiProfile.class)
class ReadAccessApiTest {

    static final String SECRET = """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"default"},"data":{"password":"czNjcjN0"}}""";
    static final String CONFIG_MAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"},"data":{"mode":"fast"}}""";

    @BeforeEach
    void objects() {
        for (String manifest : new String[] {SECRET, CONFIG_MAP}) {
            given().auth().oauth2(CoreApiTokens.DEPLOYER).contentType(ContentType.JSON).body(manifest).post("/berth/v1/apply").then().statusCode(200);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            // Kubernetes' view: no get, list or watch of Secrets
            "viewer,    GET, /berth/v1/secrets,                          403",
            "viewer,    GET, /berth/v1/secrets?namespace=default,        403",
            "viewer,    GET, /berth/v1/namespaces/default/secrets/db,    403",
            "viewer,    GET, /berth/v1/watch/secrets,                    403",
            "viewer,    GET, /berth/v1/configmaps,                       200",
            "viewer,    GET, /berth/v1/namespaces/default/configmaps/settings, 200",
            "viewer,    GET, /berth/v1/pods,                             200",
            "viewer,    GET, /berth/v1/sd/prometheus,                    200",
            // Kubernetes' edit: Secrets with their data
            "deployer,  GET, /berth/v1/secrets,                          200",
            "deployer,  GET, /berth/v1/namespaces/default/secrets/db,    200",
            "admin,     GET, /berth/v1/secrets,                          200",
            // Prometheus' discovery: the Pod list and the discovery endpoint, nothing else
            "discovery, GET, /berth/v1/pods,                             200",
            "discovery, GET, /berth/v1/sd/prometheus,                    200",
            "discovery, GET, /berth/v1/secrets,                          403",
            "discovery, GET, /berth/v1/namespaces/default/secrets/db,    403",
            "discovery, GET, /berth/v1/configmaps,                       403",
            "discovery, GET, /berth/v1/nodes,                            403",
            "discovery, GET, /berth/v1/namespaces/default/pods/any,      403",
            "discovery, GET, /berth/v1/namespaces/default/configmaps/settings, 403",
            "discovery, GET, /berth/v1/watch/pods,                       403",
            "discovery, GET, /berth/v1/namespaces/default/pods/any/log,  403",
            "discovery, GET, /berth/v1/logs?q=x,                         403",
    })
    void readsAllowedByRole(String role, String method, String path, int status) {
        given().auth().oauth2(CoreApiTokens.of(role)).request(method, path).then().statusCode(status);
    }

    @Test
    void aViewerIsRefusedSecretsWithAProblemNamingTheResourceAndSeesNoData() {
        given().auth().oauth2(CoreApiTokens.VIEWER).get("/berth/v1/secrets").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("detail", equalTo("this token's role may not list secrets (requires deployer)"))
                .body("errors.field", hasItem("resource"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("czNjcjN0")));
    }

    @Test
    void aDeployerReadsSecretsWithTheirData() {
        given().auth().oauth2(CoreApiTokens.DEPLOYER).get("/berth/v1/namespaces/default/secrets/db").then()
                .statusCode(200).body("data.password", equalTo("czNjcjN0"));
    }

    @Test
    void aDiscoveryTokenCannotWrite() {
        given().auth().oauth2(CoreApiTokens.DISCOVERY).contentType(ContentType.JSON).body(CONFIG_MAP.replace("fast", "slow"))
                .post("/berth/v1/apply").then().statusCode(403);
        given().auth().oauth2(CoreApiTokens.DEPLOYER).get("/berth/v1/namespaces/default/configmaps/settings").then()
                .statusCode(200).body("data.mode", equalTo("fast"));
    }

    @Test
    void aTokenOfSixteenCharactersIsNotAccepted() {
        given().auth().oauth2(CoreApiTokens.SHORT_ADMIN).get("/berth/v1/pods").then().statusCode(401);
    }
}
