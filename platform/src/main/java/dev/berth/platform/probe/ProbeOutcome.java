package dev.berth.platform.probe;

/** One probe attempt: success, or failure with a kubelet-style message ("HTTP probe failed with statuscode: 503"). */
public record ProbeOutcome(boolean success, String message) {

    public static ProbeOutcome ok() {
        return new ProbeOutcome(true, "");
    }

    public static ProbeOutcome failure(String message) {
        return new ProbeOutcome(false, message);
    }
}
