package io.jfutures.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test images under {@code src/test/resources/pillow}, made by Pillow, with its outputs. */
public final class ImageFixtures {
  private ImageFixtures() {}

  /** The bytes of fixture {@code name}. */
  public static byte[] bytes(String name) {
    try (InputStream in = ImageFixtures.class.getResourceAsStream("/pillow/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
