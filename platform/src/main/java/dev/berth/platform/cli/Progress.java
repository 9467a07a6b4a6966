package dev.berth.platform.cli;

import dev.berth.platform.engine.EngineException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Progress for long CLI steps: a spinner with elapsed time and the current state on a terminal, plain lines otherwise. */
final class Progress {

    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final boolean TTY = System.console() != null;

    private Progress() {}

    static void step(String message) {
        System.out.println("  ✓ " + message);
    }

    /**
     * Polls {@code check} (null = keep waiting, "" = done, other text = keep waiting and show it) every 250 ms.
     *
     * @throws EngineException when {@code timeout} passes
     */
    static void waitFor(String title, Duration timeout, Supplier<String> check) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        String last = null;
        int frame = 0;
        while (true) {
            String state;
            try {
                state = check.get();
            } catch (EngineException e) {
                if (e.status() == 503) {
                    state = null; // the core is still coming up
                } else {
                    throw e;
                }
            }
            long seconds = Duration.between(start, Instant.now()).toSeconds();
            if ("".equals(state)) {
                if (TTY) {
                    System.out.print("\r\033[K");
                }
                step(title + " (" + seconds + " s)");
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                if (TTY) {
                    System.out.println();
                }
                throw new EngineException(1, title + ": not done after " + timeout.toSeconds() + " s" + (state == null ? "" : " (" + state + ")")
                        + "; see ./berth get pods -A and ./berth describe");
            }
            if (TTY) {
                System.out.print("\r\033[K  " + SPINNER.charAt(frame++ % SPINNER.length()) + " " + title + " " + seconds + " s" + (state == null ? "" : "  " + state));
                System.out.flush();
            } else if (state != null && !state.equals(last)) {
                System.out.println("  … " + title + ": " + state + " (" + seconds + " s)");
            }
            last = state;
            Thread.sleep(250);
        }
    }
}
