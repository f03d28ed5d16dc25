package io.jfutures.testing;

import io.jfutures.Task;

/**
 * A task that sleeps {@code millis} and says so in its {@code toString}, as the insights show it.
 */
public record NamedSleep(long millis) implements Task<String> {
  @Override
  public String call() throws InterruptedException {
    Thread.sleep(millis);
    return "slept";
  }
}
