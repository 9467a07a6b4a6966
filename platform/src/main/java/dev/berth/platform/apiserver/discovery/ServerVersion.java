package dev.berth.platform.apiserver.discovery;

import io.fabric8.kubernetes.api.model.version.Info;
import io.fabric8.kubernetes.api.model.version.InfoBuilder;
import java.util.Locale;

/**
 * What {@code GET /version} answers: the Kubernetes API level the core serves and the build that serves it.
 *
 * <p>The level is 1.32: the upstream behaviour Berth transcribes (discovery, OpenAPI, field validation) is
 * kube-apiserver 1.32's, and kubectl warns when the server's minor version is more than one away from its own, so
 * the kubectl 1.32 this machine runs (and kubectl 1.31 to 1.33) see a supported server.
 */
public final class ServerVersion {

    public static final String MAJOR = "1";
    public static final String MINOR = "32";
    /** A valid semantic version (kubectl parses it) whose pre-release tag says which server this is. */
    public static final String GIT_VERSION = "v1.32.0-berth";

    private ServerVersion() {}

    /**
     * The version document.
     *
     * @param berthVersion Berth's own version, written where kube-apiserver writes its git commit
     */
    public static Info info(String berthVersion) {
        return new InfoBuilder()
                .withMajor(MAJOR)
                .withMinor(MINOR)
                .withGitVersion(GIT_VERSION)
                .withGitCommit(berthVersion)
                // the field names the runtime that built the server; Berth's is a JVM, not Go
                .withGoVersion("java" + Runtime.version().feature())
                .withCompiler("javac")
                .withPlatform(platform())
                .build();
    }

    /** The host's platform in Go's {@code GOOS/GOARCH} words, as kube-apiserver reports it. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String goos = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os.replace(' ', '-');
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String goarch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return goos + "/" + goarch;
    }
}
