package dev.berth.platform.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The JVM that runs Java images ({@code berth.runtime.java-home}): its home and version, read once per home from the
 * JDK's {@code release} file, or — a home without one — from {@code java -version}. Immutable; {@link #of} is thread-safe.
 *
 * @param version the runtime version, {@code JAVA_RUNTIME_VERSION} (e.g. {@code 17.0.15+6-Debian-1deb12u1})
 * @param feature its feature release ({@code 17}, {@code 25})
 */
public record HostJvm(Path home, String version, int feature) {

    private static final Logger LOG = Logger.getLogger(HostJvm.class);
    private static final Map<Path, HostJvm> READ = new ConcurrentHashMap<>();

    /** The JVM in {@code home}; version {@code unknown} (feature 0: no archives) when neither source names one. */
    public static HostJvm of(Path home) {
        Path normal = home.toAbsolutePath().normalize();
        return READ.computeIfAbsent(normal, HostJvm::read);
    }

    private static HostJvm read(Path home) {
        String version = fromRelease(home.resolve("release"));
        if (version.isEmpty()) {
            version = fromJavaVersion(home.resolve("bin").resolve("java"));
        }
        var feature = java.util.regex.Pattern.compile("^(?:1\\.)?(\\d+)").matcher(version); // 1.8.0_452 is 8
        if (!feature.find()) {
            LOG.warnf("cannot tell the version of the JVM in %s (neither its release file nor java -version names one): no class-data archives", home);
            return new HostJvm(home, "unknown", 0);
        }
        return new HostJvm(home, version, Integer.parseInt(feature.group(1)));
    }

    private static String fromRelease(Path release) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            LOG.infof("no release file %s (%s): asking java -version", release, e.toString());
            return "";
        }
        return unquote(p.getProperty("JAVA_RUNTIME_VERSION", p.getProperty("JAVA_VERSION", "")));
    }

    /** {@code openjdk version "17.0.15" 2025-04-15} → {@code 17.0.15}; empty when it cannot be run or says no version. */
    private static String fromJavaVersion(Path launcher) {
        try {
            Process p = new ProcessBuilder(launcher.toString(), "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            var quoted = java.util.regex.Pattern.compile("version \"([^\"]+)\"").matcher(out);
            return quoted.find() ? quoted.group(1) : "";
        } catch (IOException e) {
            LOG.warnf("cannot run %s -version: %s", launcher, e.toString());
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
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
