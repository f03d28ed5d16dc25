package io.jfutures.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A task or map chunk was handed to a pool. */
@Name("io.jfutures.TaskSubmitted")
@Label("Task Submitted")
@Category("jfutures")
@Description("A task, or a chunk of a map's inputs, was handed to a pool")
@StackTrace(false)
public final class TaskSubmitted extends jdk.jfr.Event {
  @Label("Pool")
  public String pool;

  @Label("Task")
  @Description("The task's toString, or the map chunk's size and function")
  public String task;

  @Label("Inputs")
  @Description("1 for a task, the number of inputs for a map chunk")
  public int inputs;
}
