package dev.berth.platform.apiserver;

import dev.berth.platform.store.PrivateFiles;
import io.vertx.core.net.KeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The API server's TLS identity on this machine: a self-signed certificate for {@code 127.0.0.1} and
 * {@code localhost} (P-256, ten years), made on the first start and kept in the state directory ({@code apiserver.crt},
 * {@code apiserver.key}, 0600), so a kubeconfig written once keeps trusting it. TLS because Kubernetes clients send a
 * bearer token only over TLS; the certificate is its own trust anchor ({@code certificate-authority-data}).
 */
public record ServingCertificate(String certificatePem, String privateKeyPem) {

    static final String CERTIFICATE_FILE = "apiserver.crt";
    static final String KEY_FILE = "apiserver.key";

    /** The certificate in {@code dir}, made there first if there is none. */
    public static ServingCertificate loadOrCreate(Path dir) {
        Path cert = dir.resolve(CERTIFICATE_FILE);
        Path key = dir.resolve(KEY_FILE);
        try {
            if (Files.exists(cert) && Files.exists(key)) {
                return new ServingCertificate(Files.readString(cert), Files.readString(key));
            }
            ServingCertificate made = create();
            PrivateFiles.createDirectories(dir);
            PrivateFiles.writeAtomically(key, made.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
            PrivateFiles.writeAtomically(cert, made.certificatePem().getBytes(StandardCharsets.US_ASCII));
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the API server's certificate in " + dir, e);
        }
    }

    /** The certificate file a kubeconfig's {@code certificate-authority-data} comes from. */
    public static Path certificateFile(Path dir) {
        return dir.resolve(CERTIFICATE_FILE);
    }

    /** A new certificate, kept nowhere (for tests and first starts). */
    public static ServingCertificate create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=berth-apiserver,O=berth");
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new ServingCertificate(pem(certificate), pem(new JcaPKCS8Generator(pair.getPrivate(), null))); // PKCS#8: what Vert.x reads
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make the API server's certificate", e);
        }
    }

    /**
     * The key and certificate as Vert.x serves them: a key manager over the parsed key and certificate. Vert.x's own
     * {@code PemKeyCertOptions} stores them in a PKCS#12 key store first and reads them back, two PBKDF2 derivations
     * at every start for nothing; this is the JDK's key factory and certificate parser, once.
     */
    public KeyCertOptions keyCertOptions() {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(pemBody(privateKeyPem, "PRIVATE KEY")));
            return KeyCertOptions.wrap(new SingleKeyManager(key, certificate));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the API server's key or certificate cannot be read (delete both to have new ones made)", e);
        }
    }

    static byte[] pemBody(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + label + " in PEM");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    /** One key and its self-signed certificate, whatever the client asks for: the server has no other. */
    private static final class SingleKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "berth-apiserver";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        SingleKeyManager(PrivateKey key, X509Certificate certificate) {
            this.key = key;
            this.chain = new X509Certificate[] {certificate};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keyType.equals(key.getAlgorithm()) ? new String[] {ALIAS} : null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keyType.equals(key.getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        }
        return out.toString();
    }
}
