package dev.berth.platform.api.auth;

import dev.berth.platform.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Bearer tokens from a file in kube-apiserver's {@code --token-auth-file} format: CSV lines
 * {@code token,user,uid,"group1,group2"} (see {@link TokenLines}), re-read when it changes. A file the core cannot read
 * or parse accepts no token until it is fixed (fail closed, as kube-apiserver refuses to start on it). A file still in
 * the core's former format ({@code <token> <role> [name]}) is converted once, in place, when first read (see
 * {@link LegacyTokenLines}). Tokens are compared in constant time; the file is written 0600, whole and durably; the
 * tokens the core writes have {@link #MIN_TOKEN_LENGTH} characters at least. Thread-safe.
 */
public final class TokenFile {

    private static final Logger LOG = Logger.getLogger(TokenFile.class);

    /** 32 characters: 128 bits as hex; {@link #ensureToken} writes 64. */
    public static final int MIN_TOKEN_LENGTH = 32;

    /** The user of the admin token the core writes for the CLI; a new one replaces (revokes) the previous. */
    public static final String ADMIN_USER = "berth-up";
    /** The group that makes the admin token's user a cluster-admin (upstream's bootstrap binding). */
    public static final String MASTERS_GROUP = "system:masters";
    /** The user of the token the core writes for Prometheus; bound to the {@code berth:prometheus} ClusterRole. */
    public static final String PROMETHEUS_USER = "prometheus";

    /** Who presented a token: kube-apiserver's {@code user.Info} as a token file gives it. */
    public record Principal(String name, String uid, List<String> groups) {
        public Principal {
            groups = List.copyOf(groups);
        }
    }

    /** What identifies one version of the file: a rewrite renames a new inode in, so it differs even within one mtime tick. */
    private record Version(Object fileKey, long modified, long size) {}

    private final Path file;
    private volatile Version loaded;
    private volatile Map<String, Principal> tokens = Map.of();

    public TokenFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public Optional<Principal> lookup(String token) {
        reloadIfChanged();
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        Principal match = null;
        for (var e : tokens.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                match = e.getValue();
            }
        }
        return Optional.ofNullable(match);
    }

    private synchronized void reloadIfChanged() {
        Version current;
        List<String> lines;
        try {
            current = version();
            if (current.equals(loaded)) {
                return;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (LegacyTokenLines.isLegacy(lines)) {
                List<String> converted = LegacyTokenLines.convert(lines, file);
                PrivateFiles.writeAtomically(file, (String.join("\n", converted) + "\n").getBytes(StandardCharsets.UTF_8));
                LOG.infof("%s converted from '<token> <role> [name]' to kube-apiserver's token file format (token,user,uid,\"groups\")", file);
                lines = converted;
                current = version();
            }
        } catch (NoSuchFileException e) {
            tokens = Map.of();
            loaded = null;
            return;
        } catch (IOException e) {
            refuse("cannot read the token file " + file + " (" + e + ")");
            return;
        }
        try {
            tokens = TokenLines.parse(lines, file);
            loaded = current;
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage());
        }
    }

    /** Fail closed: a file that cannot be read must not keep revoked tokens valid. */
    private void refuse(String why) {
        LOG.errorf("%s: no token is accepted until the token file is fixed", why);
        tokens = Map.of();
        loaded = null;
    }

    private Version version() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Version(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    }

    /** {@link #ensureToken} of the admin token the CLI uses ({@code ~/.berth/token}): user {@value #ADMIN_USER} in {@code system:masters}. */
    public String ensureAdminToken(Path adminTokenFile) {
        return ensureToken(adminTokenFile, ADMIN_USER, List.of(MASTERS_GROUP));
    }

    /**
     * Makes sure the token in {@code copy} (0600, for a client: the CLI, Prometheus) is valid for {@code user} with
     * {@code groups}. When it is missing or no longer valid (deleted to rotate it), a new one is written and every
     * previous token of {@code user} is removed from the token file in the same rewrite, so the old token stops
     * working. Returns the token.
     */
    public synchronized String ensureToken(Path copy, String user, List<String> groups) {
        try {
            if (Files.exists(copy)) {
                String existing = Files.readString(copy).strip();
                if (lookup(existing).map(p -> p.name().equals(user) && p.groups().equals(groups)).orElse(false)) {
                    return existing;
                }
            }
            reloadIfChanged(); // converts a legacy file before it is rewritten
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            StringBuilder kept = new StringBuilder();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!TokenLines.isOf(line, user)) {
                        kept.append(line).append('\n');
                    }
                }
            }
            kept.append(TokenLines.format(token, new Principal(user, user, groups))).append('\n');
            // the client's copy first: should the core stop in between, the token file still holds the old token only
            PrivateFiles.createDirectories(copy.toAbsolutePath().getParent());
            PrivateFiles.writeAtomically(copy, (token + "\n").getBytes(StandardCharsets.UTF_8));
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            PrivateFiles.writeAtomically(file, kept.toString().getBytes(StandardCharsets.UTF_8));
            reloadIfChanged();
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokens under " + file.getParent(), e);
        }
    }
}
