package dev.berth.platform.cli;

import java.util.List;

/** Column-aligned text, as kubectl prints its tables, for the pipeline's summary. Pure. */
final class Tables {

    /** Annotation the core puts on a Service: the 127.0.0.1 port its proxy listens on. */
    static final String LOCAL_PORT_ANNOTATION = "berth.dev/local-port";
    /** Annotation the core puts on a Service on the kernel path: its virtual address (127.77.x.y). */
    static final String CLUSTER_IP_ANNOTATION = "berth.dev/cluster-ip";

    private Tables() {}

    static String format(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
