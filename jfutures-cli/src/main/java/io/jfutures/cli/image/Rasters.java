package io.jfutures.cli.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Moves pixels between {@link Image} and {@code java.awt.image}, for the ImageIO codecs. */
final class Rasters {
  private Rasters() {}

  /** The image's own samples, viewed as a {@code BufferedImage} without copying. */
  static BufferedImage toBufferedImage(Image image) {
    Image.Mode mode = image.mode();
    int bands = mode.bands();
    ColorSpace space = ColorSpace.getInstance(bands <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    ColorModel model =
        new ComponentColorModel(
            space,
            mode.hasAlpha(),
            false,
            mode.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    int[] offsets = new int[bands];
    for (int b = 0; b < bands; b++) {
      offsets[b] = b;
    }
    WritableRaster raster =
        Raster.createInterleavedRaster(
            new DataBufferByte(image.samples(), image.samples().length),
            image.width(),
            image.height(),
            image.stride(),
            bands,
            offsets,
            null);
    return new BufferedImage(model, raster, false, null);
  }

  private static String spaceName(int type) {
    return switch (type) {
      case ColorSpace.TYPE_YCbCr -> "YCbCr";
      case ColorSpace.TYPE_Lab -> "CIE Lab";
      case ColorSpace.TYPE_XYZ -> "CIE XYZ";
      case ColorSpace.TYPE_HSV -> "HSV";
      case ColorSpace.TYPE_CMY -> "CMY";
      default -> "this colour space's (" + type + ")";
    };
  }

  /** Copies an 8-bit grayscale or RGB image, with or without alpha, into an {@link Image}. */
  static Image toImage(BufferedImage image) {
    ColorModel model = image.getColorModel();
    if (model instanceof IndexColorModel) {
      throw new ImageException(ImageFiles.PALETTE_MESSAGE);
    }
    for (int size : model.getComponentSize()) {
      if (size != 8) {
        throw new ImageException(
            size + "-bit samples are not supported; only 8-bit images can be filtered");
      }
    }
    int spaceType = model.getColorSpace().getType();
    boolean alpha = model.hasAlpha();
    Image.Mode mode;
    if (spaceType == ColorSpace.TYPE_GRAY) {
      mode = alpha ? Image.Mode.LA : Image.Mode.L;
    } else if (spaceType == ColorSpace.TYPE_RGB) {
      mode = alpha ? Image.Mode.RGBA : Image.Mode.RGB;
    } else if (spaceType == ColorSpace.TYPE_CMYK) {
      throw new ImageException(ImageFiles.CMYK_MESSAGE);
    } else {
      throw new ImageException(
          spaceName(spaceType) + " images are not supported; only grayscale and RGB images are");
    }
    int width = image.getWidth();
    int height = image.getHeight();
    int bands = mode.bands();
    byte[] out = new byte[Image.sampleCount(width, height, mode)];
    Raster raster = image.getRaster();
    if (raster.getNumBands() != bands) {
      throw new ImageException("unexpected layout: " + raster.getNumBands() + " bands");
    }
    if (raster.getDataBuffer() instanceof DataBufferByte buffer
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
        && buffer.getNumBanks() == 1
        && !model.isAlphaPremultiplied()) {
      byte[] data = buffer.getData();
      int[] offsets = layout.getBandOffsets();
      int pixelStride = layout.getPixelStride();
      int scanline = layout.getScanlineStride();
      int origin =
          buffer.getOffset()
              - raster.getSampleModelTranslateY() * scanline
              - raster.getSampleModelTranslateX() * pixelStride;
      int o = 0;
      for (int y = 0; y < height; y++) {
        int p = origin + y * scanline;
        for (int x = 0; x < width; x++, p += pixelStride) {
          for (int b = 0; b < bands; b++) {
            out[o++] = data[p + offsets[b]];
          }
        }
      }
    } else {
      int[] row = new int[width * bands];
      int o = 0;
      for (int y = 0; y < height; y++) {
        raster.getPixels(0, y, width, 1, row);
        for (int v : row) {
          out[o++] = (byte) v;
        }
      }
    }
    return new Image(width, height, mode, out);
  }
}
