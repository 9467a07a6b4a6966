package dev.berth.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.api.auth.TokenFile.Principal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's {@code staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/tokenfile/tokenfile_test.go}. */
class TokenLinesTest {

    static final Path FILE = Path.of("tokens");

    /** TestTokenFile's file. */
    static final Map<String, Principal> TOKENS = TokenLines.parse(List.of("",
            "token1,user1,uid1",
            "token2,user2,uid2",
            "token3,user3,uid3,\"group1,group2\"",
            "token4,user4,uid4,\"group2\"",
            "token5,user5,uid5,group5",
            "token6,user6,uid6,group5,otherdata",
            "token7,user7,uid7,\"group1,group2\",otherdata",
            ""), FILE);

    static Stream<Arguments> testTokenFile() {
        return Stream.of(
                Arguments.of("token1", new Principal("user1", "uid1", List.of())),
                Arguments.of("token2", new Principal("user2", "uid2", List.of())),
                Arguments.of("token3", new Principal("user3", "uid3", List.of("group1", "group2"))),
                Arguments.of("token4", new Principal("user4", "uid4", List.of("group2"))),
                Arguments.of("token5", new Principal("user5", "uid5", List.of("group5"))),
                Arguments.of("token6", new Principal("user6", "uid6", List.of("group5"))),
                Arguments.of("token7", new Principal("user7", "uid7", List.of("group1", "group2"))),
                Arguments.of("token8", null));
    }

    @ParameterizedTest(name = "TestTokenFile {0}")
    @MethodSource
    void testTokenFile(String token, Principal expected) {
        assertThat(TOKENS.get(token)).isEqualTo(expected);
    }

    @Test
    void testBadTokenFile() {
        assertThatThrownBy(() -> TokenLines.parse(List.of("", "token1,user1,uid1", "token2,user2,uid2", "token3,user3", "token4", ""), FILE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token file 'tokens' must have at least 3 columns (token, user name, user uid), found 2");
    }

    @Test
    void testInsufficientColumnsTokenFile() {
        assertThatThrownBy(() -> TokenLines.parse(List.of("token4"), FILE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyTokenIsSkippedAndOfTwoEqualTokensTheLaterWins() {
        Map<String, Principal> tokens = TokenLines.parse(List.of(",user1,uid1", "token2,user2,uid2", "token2,user3,uid3"), FILE);

        assertThat(tokens).containsOnlyKeys("token2").containsEntry("token2", new Principal("user3", "uid3", List.of()));
    }

    @Test
    void whatTheCoreWritesReadsBackAsWritten() {
        Principal p = new Principal("a,b", "uid \"1\"", List.of("system:masters", "team"));
        String line = TokenLines.format("t0k3n", p);

        assertThat(line).isEqualTo("t0k3n,\"a,b\",\"uid \"\"1\"\"\",\"system:masters,team\"");
        assertThat(TokenLines.parse(List.of(line), FILE)).containsExactly(Map.entry("t0k3n", p));
        assertThat(TokenLines.isOf(line, "a,b")).isTrue();
    }

    @Test
    void leadingSpaceIsTrimmedAndAStrayQuoteIsRefused() {
        assertThat(TokenLines.fields("token1,  user1, uid1", FILE, 1)).containsExactly("token1", "user1", "uid1");
        assertThatThrownBy(() -> TokenLines.fields("tok\"en,user,uid", FILE, 1)).hasMessageContaining("bare \" in non-quoted-field");
    }
}
