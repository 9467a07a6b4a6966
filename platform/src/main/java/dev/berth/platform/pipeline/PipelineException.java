package dev.berth.platform.pipeline;

/** A pipeline that cannot run as defined or asked (bad definition, unknown stage, missing input). */
public class PipelineException extends RuntimeException {

    public PipelineException(String message) {
        super(message);
    }
}
