package io.jfutures.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A worker started: from when the pool began to start it to when it could take tasks. */
@Name("io.jfutures.WorkerStarted")
@Label("Worker Started")
@Category("jfutures")
@Description("A pool's worker (thread, process or member) started and can take tasks")
@StackTrace(false)
public final class WorkerStarted extends jdk.jfr.Event {
  @Label("Pool")
  public String pool;

  @Label("Worker")
  public String worker;
}
