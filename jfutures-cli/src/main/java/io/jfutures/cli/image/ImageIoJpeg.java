package io.jfutures.cli.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The JDK's own JPEG codec (IJG libjpeg 6b inside the JDK): the fallback that needs nothing
 * installed. Its quality scale and default tables, 4:2:0 subsampling and integer DCT are Pillow's;
 * unlike Pillow it converts embedded ICC profiles, and it is several times slower than
 * libjpeg-turbo, progressive files most of all.
 */
public final class ImageIoJpeg implements JpegCodec {
  static final ImageIoJpeg INSTANCE = new ImageIoJpeg();

  /** Its {@link #name()}. */
  public static final String NAME = "ImageIO";

  private ImageIoJpeg() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Image decode(byte[] jpeg) {
    ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      reader.setInput(input, true, true);
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      BufferedImage image = reader.read(0);
      for (String warning : warnings) {
        if (ImageFiles.isTruncationWarning(warning)) {
          throw new ImageException(ImageFiles.TRUNCATED_MESSAGE + " (" + warning + ")");
        }
      }
      return Rasters.toImage(image);
    } catch (IIOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("Unsupported Image Type")) {
        throw new ImageException(ImageFiles.CMYK_MESSAGE);
      }
      throw new ImageException("not a readable JPEG: " + message, e);
    } catch (IOException e) {
      throw new ImageException("not a readable JPEG: " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  @Override
  public byte[] encode(Image image, int quality) {
    if (image.mode().hasAlpha()) {
      throw new ImageException(ImageFiles.cannotWriteJpeg(image.mode()));
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.samples().length / 8 + 1024);
    try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(output);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(Rasters.toBufferedImage(image), null, null), param);
    } catch (IOException e) {
      throw new ImageException("JPEG encoding failed: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
