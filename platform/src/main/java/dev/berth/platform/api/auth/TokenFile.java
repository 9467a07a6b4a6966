package dev.berth.platform.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Bearer tokens from a file of lines {@code <token> <role> [name]} ({@code #} comments), re-read when it changes.
 * Tokens are compared in constant time; the file is created 0600. Thread-safe.
 */
public final class TokenFile {

    private static final Logger LOG = Logger.getLogger(TokenFile.class);

    /** Who presented a token. */
    public record Principal(String name, Role role) {}

    private final Path file;
    private volatile FileTime loadedAt;
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

    private void reloadIfChanged() {
        try {
            if (!Files.exists(file)) {
                tokens = Map.of();
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedAt)) {
                return;
            }
            Map<String, Principal> read = new HashMap<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                Optional<Role> role = parts.length >= 2 ? Role.parse(parts[1]) : Optional.empty();
                if (role.isEmpty() || parts[0].length() < 16) {
                    LOG.warnf("%s line %d ignored: expected '<token of 16+ characters> <viewer|deployer|admin> [name]'", file, i + 1);
                    continue;
                }
                read.put(parts[0], new Principal(parts.length > 2 ? parts[2] : role.get().name().toLowerCase(java.util.Locale.ROOT), role.get()));
            }
            tokens = Map.copyOf(read);
            loadedAt = modified;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
    }

    /**
     * Makes sure an admin token exists and writes it to {@code adminTokenFile} (0600) for the CLI; creates the
     * token file (0600) if needed. Returns the admin token.
     */
    public String ensureAdminToken(Path adminTokenFile) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(adminTokenFile)) {
                String existing = Files.readString(adminTokenFile).strip();
                if (lookup(existing).map(p -> p.role() == Role.ADMIN).orElse(false)) {
                    return existing;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, "# <token> <viewer|deployer|admin> [name] — one per line; re-read on change\n");
            }
            Files.writeString(file, token + " admin berth-up\n", java.nio.file.StandardOpenOption.APPEND);
            Files.createDirectories(adminTokenFile.getParent());
            Files.deleteIfExists(adminTokenFile);
            Files.createFile(adminTokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(adminTokenFile, token + "\n");
            loadedAt = null;
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokens under " + file.getParent(), e);
        }
    }
}
