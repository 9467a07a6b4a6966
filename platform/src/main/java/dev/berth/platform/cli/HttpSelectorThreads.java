package dev.berth.platform.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Ends the JDK HTTP clients' selector threads before a command's JVM exits. Each {@code java.net.http.HttpClient}
 * (fabric8's client uses one, the core's log search another) keeps a thread in {@code epoll_wait} until the client is
 * shut down or collected, and fabric8's close (written for JDK 11) does not shut it down; a JVM that exits while a thread
 * is in native code waits for it up to 300 ms (HotSpot's {@code VM_Exit::wait_for_threads_in_native_to_block}) — measured,
 * a third of a {@code berth} command. The selector loop ends when its thread is interrupted (JDK 17 has no API to close a
 * client; JDK 21's {@code shutdownNow} does the same), so this interrupts the threads the JDK names
 * {@code HttpClient-<id>-SelectorManager} and waits for them a little. For the process's last moments only: the
 * clients cannot be used afterwards.
 */
final class HttpSelectorThreads {

    static final String NAME_SUFFIX = "-SelectorManager";
    private static final String NAME_PREFIX = "HttpClient-";

    private HttpSelectorThreads() {}

    /**
     * Interrupts every live HTTP client selector thread and waits until they ended or {@code wait} passed.
     *
     * @return how many were still alive after the wait
     */
    static int end(Duration wait) {
        return end(wait, name -> true);
    }

    /** {@link #end(Duration)} for the selector threads whose name {@code which} accepts. */
    static int end(Duration wait, Predicate<String> which) {
        List<Thread> selectors = new ArrayList<>();
        for (Thread t : allThreads()) {
            if (t.getName().startsWith(NAME_PREFIX) && t.getName().endsWith(NAME_SUFFIX) && which.test(t.getName()) && t.isAlive()) {
                t.interrupt();
                selectors.add(t);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        int alive = 0;
        for (Thread t : selectors) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    /** Every live thread (the root group's, without a stack walk of each as {@code Thread.getAllStackTraces} does). */
    private static List<Thread> allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(threads).subList(0, n);
    }
}
