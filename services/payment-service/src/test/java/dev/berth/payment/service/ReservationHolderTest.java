package dev.berth.payment.service;

import static dev.berth.payment.service.PaymentServiceTest.paymentBody;
import static dev.berth.payment.service.PaymentServiceTest.postRequest;
import static dev.berth.payment.service.PaymentServiceTest.processorCalls;
import static dev.berth.payment.service.PaymentServiceTest.rowsWithKey;
import static dev.berth.payment.service.PaymentServiceTest.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.payment.model.PaymentStatus;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Service tier: a duplicate arriving while the first request with its key is at the processor. The processor
 * takes 3 s and the lease is an hour, so only the key's lock can tell a dead holder from a live one: a holder
 * whose database connection is killed (what a SIGKILLed replica's connection undergoes) is taken over at once, a
 * live one answers the duplicate 409 with {@code Retry-After}.
 */
@QuarkusTest
@TestProfile(ReservationHolderTest.SlowProcessorLongLease.class)
class ReservationHolderTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static class SlowProcessorLongLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payment.chaos.latency", "3s", "payment.reservation.lease", "1h");
        }
    }

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource database;

    @TestHTTPResource("/api/payments")
    URI endpoint;

    HttpResponse<String> post(String key, String body) throws Exception {
        return HTTP.send(postRequest(endpoint, key, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The first request with a key, at the processor: its answer to come, and the backend holding the key's lock. */
    record Holder(String key, String body, CompletableFuture<HttpResponse<String>> response, long backend) {
    }

    /** Sends a first request with a new key and returns once it has reserved the key and is at the processor. */
    Holder holderAtTheProcessor(String amount) {
        String key = "held-" + UUID.randomUUID();
        String body = paymentBody(UUID.randomUUID(), amount);
        var response = HTTP.sendAsync(postRequest(endpoint, key, body), HttpResponse.BodyHandlers.ofString());
        return new Holder(key, body, response, backendHoldingTheLock(key));
    }

    long backendHoldingTheLock(String key) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> rowsWithKey(key) == 1 ? lockHolder(key) : Optional.<Long>empty(), Optional::isPresent)
                .orElseThrow();
    }

    Optional<Long> lockHolder(String key) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select pid from pg_locks where locktype = 'advisory' and granted"
                     + " and classid::bigint = ? and objid::bigint = ? and objsubid = 2")) {
            s.setLong(1, Integer.toUnsignedLong(ReservationLocks.KEY_SPACE));
            s.setLong(2, Integer.toUnsignedLong(ReservationLocks.lockId(key)));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    boolean terminate(long backendPid) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("select pg_terminate_backend(?)")) {
            s.setInt(1, (int) backendPid);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    static String paymentId(HttpResponse<String> response) {
        return response.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void aDuplicateTakesOverAtOnceWhenTheHoldersConnectionDies() throws Exception {
        double before = processorCalls(registry);
        Holder holder = holderAtTheProcessor("21.00");
        String key = holder.key();

        assertThat(terminate(holder.backend())).isTrue();
        // the server ends the backend (and its transaction, and the lock) as it notices the connection close
        await().atMost(Duration.ofSeconds(5)).until(() -> lockHolder(key).isEmpty());
        HttpResponse<String> duplicate = post(key, holder.body());

        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(201);
        assertThat(duplicate.body()).contains("\"status\":\"APPROVED\"");
        // the first request was alive after all (only its connection died): it records the same payment
        HttpResponse<String> first = holder.response().get(10, TimeUnit.SECONDS);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(paymentId(first)).isEqualTo(paymentId(duplicate));
        assertThat(processorCalls(registry) - before).as("processor calls for one key").isEqualTo(2);
        assertThat(rowsWithKey(key)).isEqualTo(1);
        assertThat(statusOf(key)).isEqualTo(PaymentStatus.APPROVED);
        // the killed connection went back to its pool broken: the pool must not hand it out again
        assertThat(post("after-" + UUID.randomUUID(), paymentBody(UUID.randomUUID(), "22.00")).statusCode()).isEqualTo(201);
    }

    @Test
    void aDuplicateOfALiveHolderIsAskedToRepeatLater() throws Exception {
        double before = processorCalls(registry);
        Holder holder = holderAtTheProcessor("23.00");
        String key = holder.key();

        HttpResponse<String> duplicate = post(key, holder.body());

        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(409);
        assertThat(duplicate.body()).contains("\"type\":\"https://berth.dev/problems/idempotency-key-in-progress\"");
        assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");
        HttpResponse<String> first = holder.response().get(10, TimeUnit.SECONDS);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        HttpResponse<String> repeated = post(key, holder.body());
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(paymentId(repeated)).isEqualTo(paymentId(first));
        assertThat(processorCalls(registry) - before).as("processor calls for one key").isEqualTo(1);
        assertThat(rowsWithKey(key)).isEqualTo(1);
    }
}
