package io.jfutures.travel.plugin;

import java.io.Serializable;

/** A value of the plugin's own class, made in the worker and returned to the program. */
public record PluginResult(String loader, String greeting, int answer) implements Serializable {}
