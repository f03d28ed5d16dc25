package io.jfutures;

import io.jfutures.testing.ChildJvm;
import io.jfutures.testing.ForgetfulProgram;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A main that returns without closing its pool still finishes every task, then the JVM exits. */
class ForgetfulMainTest {
  @ParameterizedTest
  @ValueSource(strings = {"platform", "virtual", "process"})
  void everyTaskFinishesAndTheJvmExits(String kind) throws Exception {
    ForgetfulProgram.assertFinishedAndExited(
        ChildJvm.run(Duration.ofSeconds(60), ForgetfulMain.class, kind));
  }
}
