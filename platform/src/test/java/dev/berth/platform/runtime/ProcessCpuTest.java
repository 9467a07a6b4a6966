package dev.berth.platform.runtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** CPU of a real process read from /proc: this test's own JVM, idle-ish and then with a thread burning a core. */
class ProcessCpuTest {

    @Test
    void measuresCoresUsedBetweenSamples() throws Exception {
        ProcessCpu cpu = new ProcessCpu();
        long pid = ProcessHandle.current().pid();
        assertThat(cpu.sample(pid)).as("first sample: no rate yet").isEmpty();
        AtomicBoolean burn = new AtomicBoolean(true);
        Thread burner = new Thread(() -> {
            long x = 0;
            while (burn.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        long before = ProcessCpu.ticks(pid);
        burner.start();
        // a window of at least one CPU-second (100 ticks) of this process, however long the machine takes to give it
        await().atMost(30, SECONDS).until(() -> ProcessCpu.ticks(pid) - before >= 100);
        OptionalDouble busy = cpu.sample(pid);
        burn.set(false);
        burner.join();
        assertThat(busy).isPresent();
        assertThat(busy.getAsDouble()).as("one thread spinning ≈ one core").isBetween(0.3, 2.5);
    }

    @Test
    void aProcessThatIsGoneHasNoReading() {
        assertThat(ProcessCpu.ticks(Long.MAX_VALUE)).isNull();
        assertThat(new ProcessCpu().sample(Long.MAX_VALUE)).isEmpty();
    }
}
