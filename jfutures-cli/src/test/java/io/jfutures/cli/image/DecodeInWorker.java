package io.jfutures.cli.image;

import io.jfutures.Task;

/**
 * Decodes a JPEG with {@link LibJpeg} in a pool's worker and answers its size; with {@code checked}
 * false it skips {@link JpegSyntax}, so that a malformed file reaches the library's fatal error,
 * which ends the worker.
 */
public record DecodeInWorker(byte[] jpeg, boolean checked) implements Task<String> {
  @Override
  public String call() {
    LibJpeg codec = LibJpeg.instance().orElseThrow();
    Image image = checked ? codec.decode(jpeg) : codec.decodeUnchecked(jpeg);
    return image.width() + "x" + image.height();
  }
}
