package io.jfutures.remote;

import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that looks for tasks past their timeout, a tenth of the timeout apart (between 1
 * and 50 ms), so that a task is killed at most about a tenth late. It starts with the first worker
 * and stops when the pool closes; {@link #start} and {@link #stop} may be called any number of
 * times, from any thread.
 */
final class Watchdog {
  /** What the watchdog calls on each round. */
  interface Check {
    void run(long nowNanos, long timeoutNanos);
  }

  private final String name;
  private final long timeoutNanos;
  private final Check check;
  private Thread thread;
  private boolean stopped;

  Watchdog(String name, long timeoutNanos, Check check) {
    this.name = name;
    this.timeoutNanos = timeoutNanos;
    this.check = check;
  }

  synchronized void start() {
    if (thread != null || stopped) {
      return;
    }
    long period = Math.max(1_000_000, Math.min(50_000_000, timeoutNanos / 10));
    thread =
        Thread.ofPlatform()
            .daemon(true)
            .name(name)
            .start(
                () -> {
                  while (true) {
                    try {
                      TimeUnit.NANOSECONDS.sleep(period);
                    } catch (InterruptedException stop) {
                      return;
                    }
                    check.run(System.nanoTime(), timeoutNanos);
                  }
                });
  }

  synchronized void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
