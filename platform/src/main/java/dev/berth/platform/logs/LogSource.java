package dev.berth.platform.logs;

/**
 * One replica container's log file and what the shipper adds to each of its lines. {@code fileId} names this file
 * for good (path and inode), so a document id built from it and a byte offset is the same on every replay.
 *
 * @param podStart the pod's creation time, the timestamp of plain lines written before any JSON line
 */
record LogSource(String namespace, String pod, String container, String node, String zone, String revision,
                 String workload, String service, String path, String fileId, String podStart) {}
