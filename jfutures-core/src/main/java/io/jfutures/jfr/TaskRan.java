package io.jfutures.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A task or map chunk ran on a worker, from when the worker began it to when its answer arrived.
 * For a worker process or a member, the event is committed by the thread that read the answer.
 */
@Name("io.jfutures.TaskRan")
@Label("Task Ran")
@Category("jfutures")
@Description("A task, or a chunk of a map's inputs, ran on a worker")
@StackTrace(false)
public final class TaskRan extends jdk.jfr.Event {
  @Label("Pool")
  public String pool;

  @Label("Worker")
  @Description("The thread, worker process or cluster member that ran it")
  public String worker;

  @Label("Task")
  @Description("The task's toString, or the map chunk's size and function")
  public String task;

  @Label("Inputs")
  @Description("1 for a task, the number of inputs for a map chunk")
  public int inputs;
}
