package io.jfutures.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jfutures.Pool;

/**
 * The body of the test programs that submit work and return from {@code main} without closing their
 * pool: six tasks, each printing {@code done N} when it finishes, then {@code main returns}. A pool
 * must still finish every task, then let the JVM exit.
 */
public final class ForgetfulProgram {
  public static final int TASKS = 6;

  private ForgetfulProgram() {}

  public static void submitAndForget(Pool pool) {
    for (int i = 0; i < TASKS; i++) {
      int n = i;
      pool.submit(
              () -> {
                Thread.sleep(150);
                return n;
              })
          .onDone(f -> System.out.println("done " + f.result()));
    }
    System.out.println("main returns");
  }

  /** What a run of such a program must show: every task done, then a clean exit. */
  public static void assertFinishedAndExited(ChildJvm.Run run) {
    assertThat(run.exited()).as("the child JVM exited; output:%n%s", run.output()).isTrue();
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("main returns");
    for (int i = 0; i < TASKS; i++) {
      assertThat(run.output()).contains("done " + i);
    }
  }
}
