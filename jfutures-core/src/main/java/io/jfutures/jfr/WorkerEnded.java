package io.jfutures.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A worker ended: retired, recycled for its memory, killed by the pool, or crashed. */
@Name("io.jfutures.WorkerEnded")
@Label("Worker Ended")
@Category("jfutures")
@Description("A pool's worker ended, and why")
@StackTrace(false)
public final class WorkerEnded extends jdk.jfr.Event {
  @Label("Pool")
  public String pool;

  @Label("Worker")
  public String worker;

  @Label("Reason")
  @Description(
      "retired, recycled for memory, killed for memory, killed for a task timeout, killed to cancel"
          + " a task, crashed, or left (a member)")
  public String reason;

  @Label("Details")
  @Description("What the pool knows of the end: exit code, signal, what it wrote")
  public String details;
}
