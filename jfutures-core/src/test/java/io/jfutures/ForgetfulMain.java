package io.jfutures;

import io.jfutures.testing.ForgetfulProgram;

/**
 * A program that submits work and returns from {@code main} without closing its pool. Run in a
 * child JVM by {@link ForgetfulMainTest}; prints one line per finished task.
 */
public final class ForgetfulMain {
  private ForgetfulMain() {}

  public static void main(String[] args) {
    Pool pool =
        switch (args[0]) {
          case "virtual" -> ThreadPool.virtual();
          case "process" -> ProcessPool.create(2);
          default -> ThreadPool.create(2);
        };
    ForgetfulProgram.submitAndForget(pool);
  }
}
