package io.jfutures.travel.plugin;

import io.jfutures.Task;

/** A task of the plugin that needs a class the plugin's folder lacks. */
public final class BrokenTask implements Task<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String call() {
    return new Missing().toString();
  }
}
