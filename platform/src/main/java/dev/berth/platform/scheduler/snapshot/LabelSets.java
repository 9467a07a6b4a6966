package dev.berth.platform.scheduler.snapshot;

import dev.berth.platform.scheduler.model.LabelSelector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot's pods grouped by distinct (namespace, labels): replicas of one template share a label
 * set, so a spread selector is matched against a few hundred label sets instead of every pod, and the
 * answer is cached per selector and extended as new label sets appear. Label sets are never dropped
 * (ids stay stable); a rebuilt snapshot starts clean. Not thread-safe.
 */
final class LabelSets {

    /** Selectors remembered; beyond this the least recently used is recomputed on next use. */
    private static final int CACHED_SELECTORS = 4096;

    record Key(String namespace, Map<String, String> labels) {
    }

    static final class LabelSet {
        final String namespace;
        final Map<String, String> labels;
        final NodeCounts podsPerNode = new NodeCounts();

        LabelSet(String namespace, Map<String, String> labels) {
            this.namespace = namespace;
            this.labels = labels;
        }
    }

    private record SelectorKey(String namespace, LabelSelector selector) {
    }

    /** Ids of the label sets a selector matches, among the first {@code scanned} label sets. */
    static final class Matches {
        int[] ids = new int[4];
        int size;
        int scanned;
    }

    private final Map<Key, Integer> idsByKey = new HashMap<>();
    private final List<LabelSet> sets = new ArrayList<>();
    private final Map<SelectorKey, Matches> matchesBySelector = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SelectorKey, Matches> eldest) {
            return size() > CACHED_SELECTORS;
        }
    };

    /** Counts one more pod with these labels on {@code node}; returns the label set's id. */
    int add(String namespace, Map<String, String> labels, int node) {
        Key key = new Key(namespace, labels);
        Integer id = idsByKey.get(key);
        if (id == null) {
            id = sets.size();
            sets.add(new LabelSet(namespace, labels));
            idsByKey.put(key, id);
        }
        sets.get(id).podsPerNode.add(node, 1);
        return id;
    }

    void remove(int id, int node) {
        sets.get(id).podsPerNode.add(node, -1);
    }

    LabelSet get(int id) {
        return sets.get(id);
    }

    /** The label sets in {@code namespace} that {@code selector} matches; the result is live, read it before the next call. */
    Matches matching(String namespace, LabelSelector selector) {
        Matches matches = matchesBySelector.computeIfAbsent(new SelectorKey(namespace, selector), key -> new Matches());
        for (int id = matches.scanned; id < sets.size(); id++) {
            LabelSet set = sets.get(id);
            if (set.namespace.equals(namespace) && selector.matches(set.labels)) {
                if (matches.size == matches.ids.length) {
                    matches.ids = Arrays.copyOf(matches.ids, matches.size * 2);
                }
                matches.ids[matches.size++] = id;
            }
        }
        matches.scanned = sets.size();
        return matches;
    }
}
