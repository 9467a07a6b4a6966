package dev.berth.platform.runtime;

/** A container that cannot be started as specified (reason is a kubelet-style reason like CreateContainerConfigError). */
public class ContainerLaunchException extends Exception {

    private final String reason;

    public ContainerLaunchException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
