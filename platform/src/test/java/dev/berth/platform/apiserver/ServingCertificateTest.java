package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving certificate as clients meet it: a TLS handshake with a server holding its key manager. */
class ServingCertificateTest {

    @Test
    void servesTlsWithTheKeptCertificateToAClientThatTrustsOnlyIt(@TempDir Path dir) throws Exception {
        ServingCertificate made = ServingCertificate.loadOrCreate(dir);
        ServingCertificate kept = ServingCertificate.loadOrCreate(dir);
        assertThat(kept).as("the second start reads what the first made").isEqualTo(made);

        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                            .setKeyCertOptions(kept.keyCertOptions()))
                    .requestHandler(request -> request.response().end("hello"))
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Certificate certificate = certificate(made.certificatePem());
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("berth", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);

            for (String host : new String[] {"127.0.0.1", "localhost"}) { // both names the certificate carries
                HttpResponse<String> response = HttpClient.newBuilder().sslContext(context).build().send(
                        HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.actualPort() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("hello");
                assertThat(response.sslSession()).get().satisfies(s -> assertThat(s.getPeerCertificates()).containsExactly(certificate));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDamagedKeyIsRefusedWithWhatToDo() {
        ServingCertificate good = ServingCertificate.create();
        ServingCertificate damaged = new ServingCertificate(good.certificatePem(),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(damaged::keyCertOptions).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("delete both");
        ServingCertificate noKey = new ServingCertificate(good.certificatePem(), "not a PEM");
        assertThatThrownBy(noKey::keyCertOptions).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be read");
    }

    private static Certificate certificate(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
