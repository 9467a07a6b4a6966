package dev.berth.platform.pipeline;

/** A stage that did its work and found it failed: the message is the reason the user reads in the summary. */
public class StepFailedException extends RuntimeException {

    public StepFailedException(String message) {
        super(message, null, false, false);
    }
}
