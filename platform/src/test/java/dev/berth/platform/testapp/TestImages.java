package dev.berth.platform.testapp;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Builds the {@link TestApp} image with jib-core (no Docker) and pushes it to the real local registry, the
 * way {@code mvn package -Pimages} pushes the services: a scratch image whose entrypoint runs {@code java}.
 */
public final class TestImages {

    public static final String REGISTRY = System.getenv().getOrDefault("BERTH_REGISTRY", "127.0.0.1:5000");

    private TestImages() {}

    /**
     * @return the pushed image, pinned by digest ({@code registry/berth-test/testapp@sha256:…})
     */
    public static String testApp(String tag, Path workDir) throws Exception {
        return testApp(tag, workDir, "v1");
    }

    /**
     * The test app with {@code VERSION} baked into the image's environment: images of different versions share
     * their application layer (the same blob) but differ in config, so their manifests differ.
     */
    public static String testApp(String tag, Path workDir, String version) throws Exception {
        Path jar = workDir.resolve("testapp.jar");
        Files.createDirectories(workDir);
        writeJar(jar);
        String repository = REGISTRY + "/berth-test/testapp";
        JibContainer pushed = Jib.fromScratch()
                .addLayer(java.util.List.of(jar), AbsoluteUnixPath.get("/app"))
                .setEntrypoint("java", "-cp", "/app/testapp.jar", TestApp.class.getName())
                .setExposedPorts(Set.of(Port.tcp(8080)))
                .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
                .setUser("1001")
                .addEnvironmentVariable("VERSION", version)
                .containerize(Containerizer.to(RegistryImage.named(repository + ":" + tag)).setAllowInsecureRegistries(true));
        return repository + "@" + pushed.getDigest();
    }

    /** An image that is not a Java application (its entrypoint is a shell): the local engine must refuse it. */
    public static String shellImage(String tag) throws Exception {
        String repository = REGISTRY + "/berth-test/shell";
        JibContainer pushed = Jib.fromScratch()
                .setEntrypoint("/bin/sh", "-c", "sleep 3600")
                .containerize(Containerizer.to(RegistryImage.named(repository + ":" + tag)).setAllowInsecureRegistries(true));
        return repository + "@" + pushed.getDigest();
    }

    private static void writeJar(Path jar) throws IOException {
        String resource = TestApp.class.getName().replace('.', '/') + ".class";
        Path classes = Path.of(TestApp.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            try (var files = Files.walk(classes.resolve("dev/berth/platform/testapp"))) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("TestApp")).toList()) {
                    String name = classes.relativize(f).toString();
                    j.putNextEntry(new JarEntry(name));
                    j.write(Files.readAllBytes(f));
                    j.closeEntry();
                }
            }
        }
        if (!Files.exists(classes.resolve(resource))) {
            throw new IOException("TestApp.class not found under " + classes);
        }
    }
}
