package io.jfutures.travel.plugin;

import io.jfutures.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A task whose class, result and resource exist only in a folder that a class loader of the
 * program's own reads: {@code CodeTravelTest} keeps them off every class path.
 */
public final class PluginTask implements Task<PluginResult> {
  private static final long serialVersionUID = 1L;

  @Override
  public PluginResult call() throws IOException {
    try (InputStream in = PluginTask.class.getResourceAsStream("greeting.txt")) {
      String greeting =
          in == null
              ? "no greeting"
              : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return new PluginResult(PluginTask.class.getClassLoader().getName(), greeting, 6 * 7);
    }
  }
}
