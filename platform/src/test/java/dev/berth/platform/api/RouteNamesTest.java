package dev.berth.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.support.problem.Problem;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names in the {@code /berth/v1} routes: a node's name and the log search's namespace, never a path. */
class RouteNamesTest {

    @Test
    void aPathAsNameOrNamespaceIsRefusedNamingTheParameter() {
        MultivaluedHashMap<String, String> path = new MultivaluedHashMap<>(Map.of("name", "a/b"));
        MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>(Map.of("namespace", "/etc"));
        assertThat(RouteNames.problems(path, query)).extracting(Problem.FieldError::field).containsExactlyInAnyOrder("name", "namespace");
        assertThat(RouteNames.problems(new MultivaluedHashMap<>(Map.of("name", "..")), new MultivaluedHashMap<>()))
                .extracting(Problem.FieldError::field).containsExactly("name");
    }

    @Test
    void goodNamesAndAnEmptyNamespacePass() {
        MultivaluedHashMap<String, String> path = new MultivaluedHashMap<>(Map.of("name", "node-1", "action", "fail"));
        assertThat(RouteNames.problems(path, new MultivaluedHashMap<>(Map.of("namespace", "")))).isEmpty();
        assertThat(RouteNames.problems(path, new MultivaluedHashMap<>(Map.of("namespace", "berth")))).isEmpty();
    }
}
