package dev.berth.platform.apiserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API's log follows ({@code pods/{name}/log?follow=true}) and watches ({@code ?watch=true}) over real
 * sockets: a client that disconnects ends its stream and frees its slot (and the follow's worker thread) although the
 * pod writes nothing more and no event comes; beyond the caps a new stream is answered 429 TooManyRequests.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class StreamsApiTest {

    static final String POD = "quiet";
    /** Watches of a namespace nothing is ever written to: after the head, no event ever comes. */
    static final String CONFIGMAPS_WATCH = "/api/v1/namespaces/streams-quiet/configmaps?watch=true";
    static final String PODS_WATCH = "/api/v1/namespaces/streams-quiet/pods?watch=true";
    static final String FOLLOW = "/api/v1/namespaces/default/pods/" + POD + "/log?follow=true";

    @Inject
    OpenStreams streams;

    @Inject
    ObjectStore store;

    @TestHTTPResource("/")
    URL root;

    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void aQuietPodWithALog() throws IOException {
        if (store.get(new ObjectKey(ResourceKind.POD, "default", POD)).isEmpty()) {
            // bound to a node no kubelet runs: the pod exists and nothing ever writes its log again
            store.create(new PodBuilder().withNewMetadata().withName(POD).withNamespace("default").endMetadata()
                    .withNewSpec().withNodeName("no-such-node").addNewContainer().withName("app").withImage("none").endContainer().endSpec().build());
        }
        Path log = CoreApiProfile.STATE.resolve("pods/default/" + POD + "/logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "started\n");
    }

    @AfterEach
    void disconnectEveryone() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(streams.open(OpenStreams.Stream.FOLLOW)).isZero();
            assertThat(streams.open(OpenStreams.Stream.WATCH)).isZero();
        });
    }

    @Test
    void aFollowEndsAndReleasesItsThreadWhenTheClientDisconnects() throws IOException {
        int idleWorkers = followingThreads();
        Socket client = open(FOLLOW, CoreApiTokens.VIEWER);
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        readUntil(in, "started");
        assertThat(streams.open(OpenStreams.Stream.FOLLOW)).isEqualTo(1);
        // the worker that sent "started" may still be flushing it when the client reads it: wait for it to poll again
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(followingThreads()).isEqualTo(idleWorkers + 1));

        client.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(streams.open(OpenStreams.Stream.FOLLOW)).isZero();
            assertThat(followingThreads()).isEqualTo(idleWorkers);
        });
    }

    @Test
    void followsBeyondThePerTokenCapAreRefusedAndAClosedOneFreesItsSlot() throws IOException {
        List<Socket> follows = new ArrayList<>();
        for (int i = 0; i < CoreApiProfile.MAX_FOLLOWS_PER_USER; i++) {
            follows.add(established(FOLLOW, CoreApiTokens.VIEWER));
        }
        given().auth().oauth2(CoreApiTokens.VIEWER).get(FOLLOW).then()
                .statusCode(429).body("kind", equalTo("Status")).body("reason", equalTo("TooManyRequests"))
                .body("message", equalTo("this token already has 2 open log follows; close one or try again later"));
        // another token has its own share; a plain read is no follow
        established(FOLLOW, CoreApiTokens.OTHER_VIEWER);
        given().auth().oauth2(CoreApiTokens.VIEWER).get("/api/v1/namespaces/default/pods/" + POD + "/log").then().statusCode(200);

        follows.get(0).close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(streams.open(OpenStreams.Stream.FOLLOW)).isEqualTo(2));
        established(FOLLOW, CoreApiTokens.VIEWER);
    }

    @Test
    void watchesBeyondTheCapsAreRefusedAndAClosedOneFreesItsSlot() throws IOException {
        Socket first = established(CONFIGMAPS_WATCH, CoreApiTokens.VIEWER);
        established(PODS_WATCH, CoreApiTokens.VIEWER);
        given().auth().oauth2(CoreApiTokens.VIEWER).get(CONFIGMAPS_WATCH).then()
                .statusCode(429).body("reason", equalTo("TooManyRequests"))
                .body("message", equalTo("this token already has 2 open watches; close one or try again later"));
        established(PODS_WATCH, CoreApiTokens.OTHER_VIEWER);
        assertThat(streams.open(OpenStreams.Stream.WATCH)).isEqualTo(CoreApiProfile.MAX_WATCHES);
        given().auth().oauth2(CoreApiTokens.DEPLOYER).get(PODS_WATCH).then()
                .statusCode(429).body("message", equalTo("the core already serves 3 watches; close one or try again later"));

        first.close(); // no event comes: the slot must still be given back
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(streams.open(OpenStreams.Stream.WATCH)).isEqualTo(2));
        established(PODS_WATCH, CoreApiTokens.DEPLOYER);
    }

    /** Worker threads blocked in a follow (waiting for lines in the log file). */
    private static int followingThreads() {
        return (int) Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getValue().length > 0 && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("LogFiles$FileTail")))
                .count();
    }

    private Socket established(String path, String token) throws IOException {
        Socket s = open(path, token);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        return s;
    }

    private Socket open(String path, String token) throws IOException {
        Socket s = new Socket(root.getHost(), root.getPort());
        clients.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static void readUntil(BufferedReader in, String line) throws IOException {
        for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (l.contains(line)) {
                return;
            }
        }
        throw new AssertionError("the stream ended before '" + line + "'");
    }
}
