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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Bearer tokens from a file of lines {@code <token> <role> [name]} ({@code #} comments), re-read when it changes.
 * A token shorter than {@link #MIN_TOKEN_LENGTH} or with an unknown role is refused (its line is ignored with a
 * logged reason). Tokens are compared in constant time; the file is written 0600, whole and durably. Thread-safe.
 */
public final class TokenFile {

    private static final Logger LOG = Logger.getLogger(TokenFile.class);

    /** 32 characters: 128 bits as hex; {@link #ensureAdminToken} writes 64. */
    public static final int MIN_TOKEN_LENGTH = 32;

    /** The name of the admin token the core writes for the CLI; a new one replaces (revokes) the previous. */
    static final String ADMIN_TOKEN_NAME = "berth-up";
    /** The name of the discovery token the core writes for Prometheus. */
    public static final String PROMETHEUS_TOKEN_NAME = "prometheus";

    /** Who presented a token. */
    public record Principal(String name, Role role) {}

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
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            current = new Version(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
            if (current.equals(loaded)) {
                return;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            tokens = Map.of();
            loaded = null;
            return;
        } catch (IOException e) {
            // fail closed: a file that cannot be read must not keep revoked tokens valid
            LOG.errorf("cannot read the token file %s (%s): no token is accepted until it can be read", file, e.toString());
            tokens = Map.of();
            loaded = null;
            return;
        }
        tokens = parse(lines);
        loaded = current;
    }

    private Map<String, Principal> parse(List<String> lines) {
        Map<String, Principal> read = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            Optional<Role> role = parts.length >= 2 ? Role.parse(parts[1]) : Optional.empty();
            if (parts[0].length() < MIN_TOKEN_LENGTH) {
                LOG.warnf("%s line %d ignored: the token has %d characters, at least %d are required", file, i + 1, parts[0].length(), MIN_TOKEN_LENGTH);
            } else if (role.isEmpty()) {
                LOG.warnf("%s line %d ignored: expected '<token> <%s> [name]'", file, i + 1, Role.namesList());
            } else {
                read.put(parts[0], new Principal(parts.length > 2 ? parts[2] : role.get().name().toLowerCase(Locale.ROOT), role.get()));
            }
        }
        return Map.copyOf(read);
    }

    /** {@link #ensureToken} of the admin token the CLI uses ({@code ~/.berth/token}). */
    public String ensureAdminToken(Path adminTokenFile) {
        return ensureToken(adminTokenFile, Role.ADMIN, ADMIN_TOKEN_NAME);
    }

    /**
     * Makes sure the token in {@code copy} (0600, for a client: the CLI, Prometheus) is valid with {@code role}. When it
     * is missing or no longer valid (deleted to rotate it), a new one is written and every previous token with this
     * role and {@code name} is removed from the token file in the same rewrite, so the old token stops working.
     * Returns the token.
     */
    public synchronized String ensureToken(Path copy, Role role, String name) {
        try {
            if (Files.exists(copy)) {
                String existing = Files.readString(copy).strip();
                if (lookup(existing).map(p -> p.role() == role).orElse(false)) {
                    return existing;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            StringBuilder kept = new StringBuilder();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!names(line, role, name)) {
                        kept.append(line).append('\n');
                    }
                }
            } else {
                kept.append("# <token> <").append(Role.namesList()).append("> [name] — one per line; re-read on change\n");
            }
            kept.append(token).append(' ').append(role.name().toLowerCase(Locale.ROOT)).append(' ').append(name).append('\n');
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

    /** Whether a line of the token file holds a token of {@code role} named {@code name}. */
    private static boolean names(String line, Role role, String name) {
        String[] parts = line.strip().split("\\s+");
        return parts.length >= 3 && parts[1].equalsIgnoreCase(role.name()) && parts[2].equals(name);
    }
}
