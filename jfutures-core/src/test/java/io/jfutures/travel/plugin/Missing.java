package io.jfutures.travel.plugin;

/** A class that {@code CodeTravelTest} leaves out of the plugin's folder: nobody can serve it. */
public final class Missing {
  @Override
  public String toString() {
    return "found after all";
  }
}
