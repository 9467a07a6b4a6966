package dev.berth.platform.api.manifest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Bounds what one YAML document expands to before it is loaded. SnakeYAML's alias limit (50 per document) counts
 * aliases, not what they expand to: 18 levels of {@code b: &b [*a, *a]} are 36 aliases and 2^18 copies of the
 * first list once Jackson walks the loaded graph. Like kube-apiserver's "document contains excessive aliasing",
 * this counts the nodes every alias stands for over the parser's events (no tree is built; the parser keeps no
 * stack, so deep nesting cannot overflow it either). Pure; thread-safe.
 */
final class YamlExpansion {

    /** Nodes aliases may add to a document beyond those written in it (a shared env block or two is a few dozen). */
    static final long MAX_ALIASED_NODES = 100_000;
    /** Deeper than any Kubernetes object (a Deployment's deepest field is about 12 levels). */
    static final int MAX_DEPTH = 100;

    private static final LoadSettings SETTINGS = LoadSettings.builder().build();

    private YamlExpansion() {}

    /** Why {@code document} is refused, or empty; syntax errors are left to the loader, which reports them with their line. */
    static Optional<String> problem(String document) {
        Deque<long[]> open = new ArrayDeque<>(); // expanded nodes so far in each open collection
        Deque<String> openAnchors = new ArrayDeque<>();
        Map<String, Long> anchored = new HashMap<>(); // expanded nodes of each anchored node
        long aliased = 0;
        try {
            for (Event e : new Parse(SETTINGS).parseString(document)) {
                switch (e.getEventId()) {
                    case SequenceStart, MappingStart -> {
                        if (open.size() >= MAX_DEPTH) {
                            return Optional.of("nests deeper than " + MAX_DEPTH + " levels");
                        }
                        open.push(new long[] {1});
                        openAnchors.push(((NodeEvent) e).getAnchor().map(Anchor::getValue).orElse(""));
                    }
                    case SequenceEnd, MappingEnd -> {
                        long nodes = open.pop()[0];
                        String anchor = openAnchors.pop();
                        if (!anchor.isEmpty()) {
                            anchored.put(anchor, nodes);
                        }
                        count(open, nodes);
                    }
                    case Scalar -> {
                        ((NodeEvent) e).getAnchor().ifPresent(a -> anchored.put(a.getValue(), 1L));
                        count(open, 1);
                    }
                    case Alias -> {
                        long nodes = anchored.getOrDefault(((AliasEvent) e).getAlias().getValue(), 1L);
                        aliased = saturatedAdd(aliased, nodes);
                        if (aliased > MAX_ALIASED_NODES) {
                            return Optional.of("contains excessive aliasing: its aliases expand to more than " + MAX_ALIASED_NODES + " nodes");
                        }
                        count(open, nodes);
                    }
                    default -> {
                        // stream and document boundaries, comments
                    }
                }
            }
        } catch (YamlEngineException syntax) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void count(Deque<long[]> open, long nodes) {
        if (!open.isEmpty()) {
            open.peek()[0] = saturatedAdd(open.peek()[0], nodes);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
