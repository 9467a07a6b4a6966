package dev.berth.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.auth.TokenFile.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    static final String VIEWER = "0123456789abcdef0123456789abcdef"; // 32 characters
    static final Principal OPS = new Principal("ops", "ops", List.of("berth:viewers"));

    @TempDir
    Path dir;

    @Test
    void aFileInTheFormerFormatIsConvertedOnceAndItsTokensKeepTheirAccessThroughTheirRolesGroups() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# <token> <role> [name]\n" + VIEWER + " viewer ops\nshort-admin-0123 admin too-short\n"
                + VIEWER + "a admin\n" + VIEWER + "d deployer ci\n" + VIEWER + "p discovery prometheus\n");

        TokenFile tokens = new TokenFile(file);

        assertThat(tokens.lookup(VIEWER)).contains(OPS);
        assertThat(tokens.lookup(VIEWER + "a")).contains(new Principal("admin", "admin", List.of("system:masters")));
        assertThat(tokens.lookup(VIEWER + "d")).contains(new Principal("ci", "ci", List.of("berth:deployers")));
        assertThat(tokens.lookup(VIEWER + "p")).contains(new Principal("prometheus", "prometheus", List.of("berth:discovery")));
        assertThat(tokens.lookup("short-admin-0123")).isEmpty(); // ignored before, dropped by the conversion
        assertThat(Files.readAllLines(file)).containsExactly(VIEWER + ",ops,ops,\"berth:viewers\"", VIEWER + "a,admin,admin,\"system:masters\"",
                VIEWER + "d,ci,ci,\"berth:deployers\"", VIEWER + "p,prometheus,prometheus,\"berth:discovery\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new TokenFile(file).lookup(VIEWER)).contains(OPS); // read as it is now
    }

    @Test
    void aFileThatIsNotATokenFileAcceptsNoTokenUntilFixed() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, VIEWER + ",ops,ops\n" + "token3,user3\n");
        TokenFile tokens = new TokenFile(file);
        assertThat(tokens.lookup(VIEWER)).isEmpty();

        Files.writeString(file, VIEWER + ",ops,ops\n");
        assertThat(tokens.lookup(VIEWER)).contains(new Principal("ops", "ops", List.of()));
    }

    @Test
    void aMissingOrUnreadableFileAcceptsNoTokenAndDoesNotThrow() throws Exception {
        Path file = dir.resolve("tokens");
        TokenFile tokens = new TokenFile(file);
        assertThat(tokens.lookup(VIEWER)).isEmpty();

        Files.writeString(file, VIEWER + ",ops,ops\n");
        assertThat(tokens.lookup(VIEWER)).isPresent();
        Files.delete(file);
        Files.createDirectory(file); // not a file any more: reading it fails
        assertThat(tokens.lookup(VIEWER)).isEmpty();
    }

    @Test
    void aRewriteIsSeenEvenWithinOneModificationTimeTick() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, VIEWER + ",ops,ops\n");
        FileTime tick = Files.getLastModifiedTime(file);
        TokenFile tokens = new TokenFile(file);
        assertThat(tokens.lookup(VIEWER)).isPresent();

        // revoked by an editor that writes a new file and renames it in, within the same timestamp granularity
        Path next = dir.resolve("tokens.new");
        Files.writeString(next, VIEWER.replace('0', '9') + ",ops,ops\n");
        Files.setLastModifiedTime(next, tick);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(tokens.lookup(VIEWER)).isEmpty();
    }

    @Test
    void rotatingTheAdminTokenRevokesThePreviousOneAndKeepsTheOtherTokens() throws Exception {
        Path file = dir.resolve("core").resolve("tokens");
        Path cli = dir.resolve("token");
        Files.createDirectories(file.getParent());
        Files.writeString(file, VIEWER + ",ops,ops,\"berth:viewers\"\n");
        TokenFile tokens = new TokenFile(file);

        String first = tokens.ensureAdminToken(cli);
        assertThat(tokens.ensureAdminToken(cli)).isEqualTo(first); // a valid one is kept
        Files.delete(cli); // how a user rotates it: delete ~/.berth/token and start the core again
        TokenFile restarted = new TokenFile(file);
        String second = restarted.ensureAdminToken(cli);

        assertThat(second).isNotEqualTo(first).hasSize(64);
        assertThat(restarted.lookup(first)).isEmpty();
        assertThat(tokens.lookup(first)).isEmpty(); // also for a reader that had loaded the old file
        assertThat(restarted.lookup(second)).contains(new Principal(TokenFile.ADMIN_USER, TokenFile.ADMIN_USER, List.of("system:masters")));
        assertThat(restarted.lookup(VIEWER)).contains(OPS);
        assertThat(Files.readString(cli).strip()).isEqualTo(second);
        assertThat(Files.readAllLines(file)).containsExactly(VIEWER + ",ops,ops,\"berth:viewers\"", second + ",berth-up,berth-up,\"system:masters\"");
        for (Path p : new Path[] {file, cli}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString())).containsExactly("tokens");
    }

    @Test
    void anAdminTokenThatIsNoLongerValidIsReplacedNotKept() throws Exception {
        Path file = dir.resolve("tokens");
        Path cli = dir.resolve("token");
        TokenFile tokens = new TokenFile(file);
        String first = tokens.ensureAdminToken(cli);
        Files.writeString(file, Files.readString(file).replace("\"system:masters\"", "\"berth:viewers\"")); // demoted by hand

        String second = tokens.ensureAdminToken(cli);

        assertThat(second).isNotEqualTo(first);
        assertThat(tokens.lookup(second).map(Principal::groups)).contains(List.of("system:masters"));
        assertThat(tokens.lookup(first)).isEmpty(); // the admin user's former token, whatever its groups, is revoked
    }

    @Test
    void prometheusGetsATokenOfItsOwnRotatedWithoutTouchingTheAdminToken() throws Exception {
        Path file = dir.resolve("tokens");
        TokenFile tokens = new TokenFile(file);
        String admin = tokens.ensureAdminToken(dir.resolve("token"));
        Path copy = dir.resolve("prometheus.token");

        String first = tokens.ensureToken(copy, TokenFile.PROMETHEUS_USER, List.of());
        Files.delete(copy);
        String second = tokens.ensureToken(copy, TokenFile.PROMETHEUS_USER, List.of());

        assertThat(tokens.lookup(first)).isEmpty();
        assertThat(tokens.lookup(second)).contains(new Principal("prometheus", "prometheus", List.of()));
        assertThat(tokens.lookup(admin)).contains(new Principal(TokenFile.ADMIN_USER, TokenFile.ADMIN_USER, List.of("system:masters")));
        assertThat(Files.readString(copy).strip()).isEqualTo(second);
    }
}
