package io.jfutures.cli.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * libjpeg-turbo's TurboJPEG 2.x API ({@code libturbojpeg.so.0}) through the FFM API.
 *
 * <p>Decoding uses the library's defaults (accurate integer IDCT, smooth upsampling), which are
 * Pillow's; encoding passes {@code TJFLAG_ACCURATEDCT}, without which the output differs from
 * Pillow's. Pixels move between the Java arrays and the library without copies ("critical" calls
 * that may read and write the heap); each call creates and destroys its own TurboJPEG handle, so
 * instances are safe for any number of threads.
 *
 * <p>The library is looked up once per JVM ({@link NativeLibrary}), under the name in the system
 * property {@code jfutures.turbojpeg} if set, else under its usual names; when it is missing,
 * {@link #instance()} is empty and {@link #unavailableReason()} says how to install it. Its
 * functions are bound on the first call to {@link #instance()}.
 */
public final class TurboJpeg implements JpegCodec {
  private static final int TJPF_RGB = 0;
  private static final int TJPF_GRAY = 6;
  private static final int TJSAMP_420 = 2;
  private static final int TJSAMP_GRAY = 3;
  private static final int TJCS_GRAY = 2;
  private static final int TJCS_CMYK = 3;
  private static final int TJCS_YCCK = 4;
  private static final int TJFLAG_ACCURATEDCT = 4096;

  /**
   * Refuse progressive JPEGs of more than 500 scans (libjpeg-turbo 2.1+; older versions ignore it).
   * {@link ImageHeader} counts scans first for both codecs; this guards the count's edge.
   */
  private static final int TJFLAG_LIMITSCANS = 32768;

  private static final int TJERR_WARNING = 0;

  /** The system property that names the library to load instead of its usual names. */
  public static final String LIBRARY_PROPERTY = "jfutures.turbojpeg";

  private static final List<String> LIBRARY_NAMES =
      List.of(
          "libturbojpeg.so.0",
          "libturbojpeg.so",
          "libturbojpeg.0.dylib",
          "libturbojpeg.dylib",
          "turbojpeg.dll");

  /** The functions this class binds, all of which the library must have. */
  private static final List<String> FUNCTIONS =
      List.of(
          "tjInitDecompress",
          "tjInitCompress",
          "tjDecompressHeader3",
          "tjDecompress2",
          "tjCompress2",
          "tjFree",
          "tjDestroy",
          "tjGetErrorStr2",
          "tjGetErrorCode");

  private static final NativeLibrary LIBRARY =
      NativeLibrary.find("libturbojpeg", LIBRARY_PROPERTY, LIBRARY_NAMES, FUNCTIONS, "");

  /** The bound codec, or why binding failed; initialized on first use. */
  private static final class Bound {
    static final NativeLibrary.Binding<TurboJpeg> BINDING = LIBRARY.bindCodec(TurboJpeg::new);
  }

  private final MethodHandle initDecompress;
  private final MethodHandle initCompress;
  private final MethodHandle decompressHeader3;
  private final MethodHandle decompress2;
  private final MethodHandle compress2;
  private final MethodHandle free;
  private final MethodHandle destroy;
  private final MethodHandle errorString;
  private final MethodHandle errorCode;

  private TurboJpeg(NativeLibrary library) {
    Linker linker = Linker.nativeLinker();
    MemoryLayout cLong = linker.canonicalLayouts().get("long");
    ValueLayout.OfInt cInt = ValueLayout.JAVA_INT;
    ValueLayout pointer = ValueLayout.ADDRESS;
    Linker.Option critical = Linker.Option.critical(true);
    initDecompress = library.bind(linker, "tjInitDecompress", FunctionDescriptor.of(pointer));
    initCompress = library.bind(linker, "tjInitCompress", FunctionDescriptor.of(pointer));
    decompressHeader3 =
        library.bind(
            linker,
            "tjDecompressHeader3",
            FunctionDescriptor.of(
                cInt, pointer, pointer, cLong, pointer, pointer, pointer, pointer),
            critical);
    decompress2 =
        library.bind(
            linker,
            "tjDecompress2",
            FunctionDescriptor.of(
                cInt, pointer, pointer, cLong, pointer, cInt, cInt, cInt, cInt, cInt),
            critical);
    compress2 =
        library.bind(
            linker,
            "tjCompress2",
            FunctionDescriptor.of(
                cInt, pointer, pointer, cInt, cInt, cInt, cInt, pointer, pointer, cInt, cInt, cInt),
            critical);
    free = library.bind(linker, "tjFree", FunctionDescriptor.ofVoid(pointer));
    destroy = library.bind(linker, "tjDestroy", FunctionDescriptor.of(cInt, pointer));
    errorString = library.bind(linker, "tjGetErrorStr2", FunctionDescriptor.of(pointer, pointer));
    errorCode = library.bind(linker, "tjGetErrorCode", FunctionDescriptor.of(cInt, pointer));
  }

  /** The codec, or empty when this system has no usable libturbojpeg. Binds it on first use. */
  public static Optional<TurboJpeg> instance() {
    return Optional.ofNullable(Bound.BINDING.codec());
  }

  /** Why {@link #instance()} is empty, with how to fix it; null when it is not. */
  public static String unavailableReason() {
    return withAdvice(Bound.BINDING.problem());
  }

  /**
   * Why the library cannot be used as far as looking it up tells, with how to fix it; null when it
   * was found with all its functions. Unlike {@link #instance()}, binds nothing.
   */
  public static String libraryProblem() {
    return withAdvice(LIBRARY.problem());
  }

  private static String withAdvice(String problem) {
    return problem == null
        ? null
        : problem
            + ". Install it for JPEG speed: 'apt-get install libturbojpeg0' on Debian and"
            + " Ubuntu, 'dnf install turbojpeg' on Fedora, 'brew install jpeg-turbo' on macOS.";
  }

  @Override
  public String name() {
    return "libjpeg-turbo";
  }

  @Override
  public Image decode(byte[] jpeg) {
    MemorySegment handle;
    try {
      handle = (MemorySegment) initDecompress.invokeExact();
    } catch (Throwable e) {
      throw failure(e);
    }
    if (handle.equals(MemorySegment.NULL)) {
      throw new ImageException("libjpeg-turbo could not start a decompressor");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment dims = arena.allocate(ValueLayout.JAVA_INT, 4);
      MemorySegment source = MemorySegment.ofArray(jpeg);
      int rc;
      try {
        rc =
            (int)
                decompressHeader3.invokeExact(
                    handle,
                    source,
                    (long) jpeg.length,
                    dims,
                    dims.asSlice(4),
                    dims.asSlice(8),
                    dims.asSlice(12));
      } catch (Throwable e) {
        throw failure(e);
      }
      if (rc != 0) {
        throw new ImageException("not a readable JPEG: " + error(handle));
      }
      int width = dims.getAtIndex(ValueLayout.JAVA_INT, 0);
      int height = dims.getAtIndex(ValueLayout.JAVA_INT, 1);
      int colorspace = dims.getAtIndex(ValueLayout.JAVA_INT, 3);
      if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        throw new ImageException(ImageFiles.CMYK_MESSAGE);
      }
      Image.Mode mode = colorspace == TJCS_GRAY ? Image.Mode.L : Image.Mode.RGB;
      byte[] pixels = new byte[Image.sampleCount(width, height, mode)];
      try {
        rc =
            (int)
                decompress2.invokeExact(
                    handle,
                    source,
                    (long) jpeg.length,
                    MemorySegment.ofArray(pixels),
                    width,
                    0,
                    height,
                    mode == Image.Mode.L ? TJPF_GRAY : TJPF_RGB,
                    TJFLAG_LIMITSCANS);
      } catch (Throwable e) {
        throw failure(e);
      }
      if (rc != 0) {
        String message = error(handle);
        int code;
        try {
          code = (int) errorCode.invokeExact(handle);
        } catch (Throwable e) {
          throw failure(e);
        }
        if (code != TJERR_WARNING || ImageFiles.isTruncationWarning(message)) {
          throw new ImageException(
              ImageFiles.isTruncationWarning(message)
                  ? ImageFiles.TRUNCATED_MESSAGE + " (" + message + ")"
                  : "corrupt JPEG: " + message);
        }
      }
      return new Image(width, height, mode, pixels);
    } finally {
      try {
        int ignored = (int) destroy.invokeExact(handle);
      } catch (Throwable e) {
        throw failure(e);
      }
    }
  }

  @Override
  public byte[] encode(Image image, int quality) {
    if (image.mode().hasAlpha()) {
      throw new ImageException(ImageFiles.cannotWriteJpeg(image.mode()));
    }
    MemorySegment handle;
    try {
      handle = (MemorySegment) initCompress.invokeExact();
    } catch (Throwable e) {
      throw failure(e);
    }
    if (handle.equals(MemorySegment.NULL)) {
      throw new ImageException("libjpeg-turbo could not start a compressor");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment bufferPointer = arena.allocate(ValueLayout.ADDRESS);
      bufferPointer.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
      MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
      boolean gray = image.mode() == Image.Mode.L;
      int rc;
      try {
        rc =
            (int)
                compress2.invokeExact(
                    handle,
                    MemorySegment.ofArray(image.samples()),
                    image.width(),
                    0,
                    image.height(),
                    gray ? TJPF_GRAY : TJPF_RGB,
                    bufferPointer,
                    size,
                    gray ? TJSAMP_GRAY : TJSAMP_420,
                    quality,
                    TJFLAG_ACCURATEDCT);
      } catch (Throwable e) {
        throw failure(e);
      }
      MemorySegment buffer = bufferPointer.get(ValueLayout.ADDRESS, 0);
      try {
        if (rc != 0) {
          throw new ImageException("JPEG encoding failed: " + error(handle));
        }
        long length = size.get(ValueLayout.JAVA_LONG, 0);
        return buffer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
      } finally {
        if (!buffer.equals(MemorySegment.NULL)) {
          try {
            free.invokeExact(buffer);
          } catch (Throwable e) {
            throw failure(e);
          }
        }
      }
    } finally {
      try {
        int ignored = (int) destroy.invokeExact(handle);
      } catch (Throwable e) {
        throw failure(e);
      }
    }
  }

  private String error(MemorySegment handle) {
    MemorySegment text;
    try {
      text = (MemorySegment) errorString.invokeExact(handle);
    } catch (Throwable e) {
      throw failure(e);
    }
    return text.equals(MemorySegment.NULL)
        ? "unknown error"
        : text.reinterpret(Integer.MAX_VALUE).getString(0);
  }

  private static RuntimeException failure(Throwable e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(e);
  }
}
