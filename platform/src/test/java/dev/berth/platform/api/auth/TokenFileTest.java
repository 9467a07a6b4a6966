package dev.berth.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenFileTest {

    static final String VIEWER = "0123456789abcdef0123456789abcdef"; // 32 characters

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "16 characters,                  0123456789abcdef,                      false",
            "31 characters,                  0123456789abcdef0123456789abcde,       false",
            "32 characters,                  0123456789abcdef0123456789abcdef,      true",
            "64 characters (berth up's),     0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, true",
    })
    void tokensNeedAtLeast32Characters(String name, String token, boolean accepted) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, token + " admin someone\n");

        assertThat(new TokenFile(file).lookup(token).isPresent()).isEqualTo(accepted);
    }

    @Test
    void aBadLineIsIgnoredAndTheOthersStillWork() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# comment\nshort viewer\n" + VIEWER + "x superuser\n" + VIEWER + "\n\n" + VIEWER + "y discovery prometheus\n");

        TokenFile tokens = new TokenFile(file);

        assertThat(tokens.lookup("short")).isEmpty();
        assertThat(tokens.lookup(VIEWER + "x")).isEmpty(); // unknown role
        assertThat(tokens.lookup(VIEWER)).isEmpty(); // no role
        assertThat(tokens.lookup(VIEWER + "y")).contains(new TokenFile.Principal("prometheus", Role.DISCOVERY));
    }

    @Test
    void aMissingOrUnreadableFileAcceptsNoTokenAndDoesNotThrow() throws Exception {
        Path file = dir.resolve("tokens");
        TokenFile tokens = new TokenFile(file);
        assertThat(tokens.lookup(VIEWER)).isEmpty();

        Files.writeString(file, VIEWER + " viewer\n");
        assertThat(tokens.lookup(VIEWER)).isPresent();
        Files.delete(file);
        Files.createDirectory(file); // not a file any more: reading it fails
        assertThat(tokens.lookup(VIEWER)).isEmpty();
    }

    @Test
    void aRewriteIsSeenEvenWithinOneModificationTimeTick() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, VIEWER + " viewer\n");
        FileTime tick = Files.getLastModifiedTime(file);
        TokenFile tokens = new TokenFile(file);
        assertThat(tokens.lookup(VIEWER)).isPresent();

        // revoked by an editor that writes a new file and renames it in, within the same timestamp granularity
        Path next = dir.resolve("tokens.new");
        Files.writeString(next, VIEWER.replace('0', '9') + " viewer\n");
        Files.setLastModifiedTime(next, tick);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(tokens.lookup(VIEWER)).isEmpty();
    }

    @Test
    void rotatingTheAdminTokenRevokesThePreviousOneAndKeepsTheOtherTokens() throws Exception {
        Path file = dir.resolve("core").resolve("tokens");
        Path cli = dir.resolve("token");
        Files.createDirectories(file.getParent());
        Files.writeString(file, VIEWER + " viewer ops\n");
        TokenFile tokens = new TokenFile(file);

        String first = tokens.ensureAdminToken(cli);
        assertThat(tokens.ensureAdminToken(cli)).isEqualTo(first); // a valid one is kept
        Files.delete(cli); // how a user rotates it: delete ~/.berth/token and start the core again
        TokenFile restarted = new TokenFile(file);
        String second = restarted.ensureAdminToken(cli);

        assertThat(second).isNotEqualTo(first).hasSize(64);
        assertThat(restarted.lookup(first)).isEmpty();
        assertThat(tokens.lookup(first)).isEmpty(); // also for a reader that had loaded the old file
        assertThat(restarted.lookup(second)).contains(new TokenFile.Principal(TokenFile.ADMIN_TOKEN_NAME, Role.ADMIN));
        assertThat(restarted.lookup(VIEWER)).contains(new TokenFile.Principal("ops", Role.VIEWER));
        assertThat(Files.readString(cli).strip()).isEqualTo(second);
        assertThat(Files.readAllLines(file)).filteredOn(l -> l.contains(TokenFile.ADMIN_TOKEN_NAME)).hasSize(1);
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
        Files.writeString(file, Files.readString(file).replace(" admin ", " viewer ")); // demoted by hand

        String second = tokens.ensureAdminToken(cli);

        assertThat(second).isNotEqualTo(first);
        assertThat(tokens.lookup(second).map(TokenFile.Principal::role)).isEqualTo(Optional.of(Role.ADMIN));
        assertThat(tokens.lookup(first).map(TokenFile.Principal::role)).isEqualTo(Optional.of(Role.VIEWER));
    }

    @Test
    void prometheusGetsADiscoveryTokenOfItsOwnRotatedWithoutTouchingTheAdminToken() throws Exception {
        Path file = dir.resolve("tokens");
        TokenFile tokens = new TokenFile(file);
        String admin = tokens.ensureAdminToken(dir.resolve("token"));
        Path copy = dir.resolve("prometheus.token");

        String first = tokens.ensureToken(copy, Role.DISCOVERY, TokenFile.PROMETHEUS_TOKEN_NAME);
        Files.delete(copy);
        String second = tokens.ensureToken(copy, Role.DISCOVERY, TokenFile.PROMETHEUS_TOKEN_NAME);

        assertThat(tokens.lookup(first)).isEmpty();
        assertThat(tokens.lookup(second)).contains(new TokenFile.Principal("prometheus", Role.DISCOVERY));
        assertThat(tokens.lookup(admin)).contains(new TokenFile.Principal(TokenFile.ADMIN_TOKEN_NAME, Role.ADMIN));
        assertThat(Files.readString(copy).strip()).isEqualTo(second);
    }
}
