package io.jfutures.bench;

import io.jfutures.cli.image.Filter;
import io.jfutures.cli.image.Image;
import io.jfutures.cli.image.JpegCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one image's time goes in a warmed-up JVM: decode, filter and encode, per codec and filter,
 * on one photograph. {@code python/pillow_pipeline.py} measures Pillow the same way; {@code
 * images-figures.sh} runs both.
 *
 * <p>Usage: {@code ImagePipelineFigures PHOTO [ROUNDS]}
 */
public final class ImagePipelineFigures {
  private ImagePipelineFigures() {}

  public static void main(String[] args) throws Exception {
    byte[] data = Files.readAllBytes(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    for (JpegCodec.Choice choice :
        new JpegCodec.Choice[] {
          JpegCodec.Choice.TURBOJPEG, JpegCodec.Choice.LIBJPEG, JpegCodec.Choice.IMAGEIO
        }) {
      JpegCodec codec;
      try {
        // This program is the isolated process: a fatal libjpeg error ends only it.
        codec = JpegCodec.of(choice, true);
      } catch (RuntimeException missing) {
        System.out.println(choice + ": " + missing.getMessage());
        continue;
      }
      for (Filter filter : Filter.values()) {
        double[] decode = new double[rounds];
        double[] apply = new double[rounds];
        double[] encode = new double[rounds];
        for (int r = -10; r < rounds; r++) {
          long t0 = System.nanoTime();
          Image image = codec.decode(data);
          long t1 = System.nanoTime();
          Image filtered = filter.apply(image);
          long t2 = System.nanoTime();
          codec.encode(filtered, 75);
          long t3 = System.nanoTime();
          if (r >= 0) {
            decode[r] = (t1 - t0) / 1e6;
            apply[r] = (t2 - t1) / 1e6;
            encode[r] = (t3 - t2) / 1e6;
          }
        }
        System.out.printf(
            "%-10s %-18s decode %6.1f ms  filter %6.1f ms  encode %6.1f ms%n",
            codec.name(), filter, median(decode), median(apply), median(encode));
      }
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
