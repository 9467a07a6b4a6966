package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM that runs Java images ({@code berth.runtime.java-home}): its home and version, read once per home from the
 * JDK's {@code release} file (no process started). Immutable; {@link #of} is thread-safe.
 *
 * @param version the runtime version, {@code JAVA_RUNTIME_VERSION} (e.g. {@code 17.0.15+6-Debian-1deb12u1})
 * @param feature its feature release ({@code 17}, {@code 25})
 */
public record HostJvm(Path home, String version, int feature) {

    private static final Map<Path, HostJvm> READ = new ConcurrentHashMap<>();

    /** The JVM in {@code home}; fails (naming the file) when its {@code release} file is missing or has no version. */
    public static HostJvm of(Path home) {
        Path normal = home.toAbsolutePath().normalize();
        return READ.computeIfAbsent(normal, HostJvm::read);
    }

    private static HostJvm read(Path home) {
        Path release = home.resolve("release");
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JVM's version from " + release, e);
        }
        String version = unquote(p.getProperty("JAVA_RUNTIME_VERSION", p.getProperty("JAVA_VERSION", "")));
        if (version.isEmpty()) {
            throw new IllegalStateException(release + " names no JAVA_RUNTIME_VERSION or JAVA_VERSION");
        }
        var feature = java.util.regex.Pattern.compile("^(?:1\\.)?(\\d+)").matcher(version); // 1.8.0_452 is 8
        if (!feature.find()) {
            throw new IllegalStateException(release + ": version " + version + " does not start with a number");
        }
        return new HostJvm(home, version, Integer.parseInt(feature.group(1)));
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** Part of a file name that differs for every JVM build and home: {@code jdk<version>-<hash of home>}. */
    public String key() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(home.toString().getBytes(StandardCharsets.UTF_8));
            return "jdk" + version.replaceAll("[^A-Za-z0-9.]", "_") + "-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** For people: {@code 17.0.15+6-Debian-1deb12u1 /usr/lib/jvm/java-17-openjdk-amd64}. */
    @Override
    public String toString() {
        return version + " " + home;
    }
}
