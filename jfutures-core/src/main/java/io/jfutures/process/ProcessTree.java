package io.jfutures.process;

import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * A worker's whole process tree, so that killing a worker leaves none of its task's processes
 * behind. On Linux a worker makes itself a child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER)},
 * through the FFM API of JDK 22+, reached reflectively so that jfutures still runs on 21): a
 * grandchild that detaches, double-forking into a process group of its own, is re-parented to the
 * worker rather than to init, and stays among its descendants. Whoever ends a worker takes the
 * descendants first and ends them after it.
 */
final class ProcessTree {
  private static final int PR_SET_CHILD_SUBREAPER = 36;

  private ProcessTree() {}

  /**
   * Makes this process a child subreaper, where the system and the JDK allow it; returns whether it
   * did.
   */
  static boolean becomeSubreaper() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
        || Runtime.version().feature() < 22) {
      return false;
    }
    try {
      Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
      Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
      Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
      Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
      Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
      Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
      Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
      Object linker = linkerType.getMethod("nativeLinker").invoke(null);
      Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
      java.util.Optional<?> prctl =
          (java.util.Optional<?>)
              lookupType.getMethod("find", String.class).invoke(lookup, "prctl");
      if (prctl.isEmpty()) {
        return false;
      }
      Object javaInt = valueLayoutType.getField("JAVA_INT").get(null);
      Object javaLong = valueLayoutType.getField("JAVA_LONG").get(null);
      Object layouts = java.lang.reflect.Array.newInstance(layoutType, 5);
      java.lang.reflect.Array.set(layouts, 0, javaInt);
      for (int i = 1; i < 5; i++) {
        java.lang.reflect.Array.set(layouts, i, javaLong);
      }
      Object descriptor =
          descriptorType
              .getMethod("of", layoutType, layouts.getClass())
              .invoke(null, javaInt, layouts);
      Object noOptions = java.lang.reflect.Array.newInstance(optionType, 0);
      MethodHandle call =
          (MethodHandle)
              linkerType
                  .getMethod("downcallHandle", segmentType, descriptorType, noOptions.getClass())
                  .invoke(linker, prctl.get(), descriptor, noOptions);
      int result = (int) call.invokeWithArguments(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
      return result == 0;
    } catch (Throwable unavailable) {
      return false;
    }
  }

  /** Kills {@code root} and every process below it, taken before it is killed. */
  static void kill(ProcessHandle root) {
    List<ProcessHandle> below = root.descendants().toList();
    root.destroyForcibly();
    below.forEach(ProcessHandle::destroyForcibly);
  }

  /** Kills every process below this one: a worker's last act, whatever ends it. */
  static void killDescendants() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
