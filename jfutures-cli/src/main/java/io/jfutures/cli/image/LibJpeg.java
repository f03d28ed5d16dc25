package io.jfutures.cli.image;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * libjpeg-turbo's classic libjpeg API ({@code libjpeg.so.62}) through the FFM API: the same SIMD
 * code and the same pixels and bytes as {@link TurboJpeg}, from a library that is on every machine
 * where Debian's or Ubuntu's own Java is, while {@code libturbojpeg} needs installing.
 *
 * <p><b>Fatal errors end the process.</b> The library reports a fatal error through {@code
 * error_exit}, which must not return; C programs leave it with {@code longjmp}, which Java cannot
 * do, and an upcall that throws ends the JVM anyway. So {@code error_exit} is an upcall that writes
 * the library's message to stderr as a line starting with {@link #FATAL_PREFIX} and halts the JVM
 * with {@link #FATAL_EXIT}. That is why only a process pool's worker may use this codec ({@link
 * JpegCodec#of(JpegCodec.Choice, boolean)} enforces it): there the image that made the library fail
 * ends its own worker and fails alone, the pool starts another worker and requeues what the dead
 * one had not begun. And it is why {@link JpegSyntax} checks every marker segment first, so that
 * what libjpeg would stop on is refused in Java with an exception and a fatal error is left for
 * what no check foresaw, such as memory running out. Warnings return normally; a premature end of
 * data is the one that fails the image, as with the other codecs.
 *
 * <p><b>The ABI.</b> The structures are {@code jpeglib.h}'s for {@code JPEG_LIB_VERSION} 62 on LP64
 * Linux (x86-64 and AArch64 lay them out alike); only the fields this class touches are named, by
 * offset, and the library itself checks the structures' sizes in {@code jpeg_CreateDecompress}. The
 * library is used only on such a system and only when it has {@code jpeg_mem_src} and {@code
 * jpeg_skip_scanlines}, which IJG's own libjpeg lacks: IJG's decoder does not give Pillow's pixels.
 *
 * <p>Like {@link TurboJpeg}, the library is looked up once per JVM (under the system property
 * {@value #LIBRARY_PROPERTY} if set) and its functions are bound on first use. Each call creates
 * and destroys its own decompressor or compressor, so instances are safe for any number of threads.
 */
public final class LibJpeg implements JpegCodec {
  /** The system property that names the library to load instead of {@code libjpeg.so.62}. */
  public static final String LIBRARY_PROPERTY = "jfutures.libjpeg";

  /** Starts the stderr line a worker writes before a fatal library error halts it. */
  public static final String FATAL_PREFIX = "jfutures: libjpeg stopped on a fatal error: ";

  /** The exit code of a worker that a fatal library error halted. */
  public static final int FATAL_EXIT = 75;

  private static final int JPEG_LIB_VERSION = 62;
  private static final long DECOMPRESS_SIZE = 632;
  private static final long COMPRESS_SIZE = 520;
  private static final long ERROR_SIZE = 168;
  private static final int JMSG_LENGTH_MAX = 200;

  // struct jpeg_error_mgr
  private static final long ERR_ERROR_EXIT = 0;
  private static final long ERR_EMIT_MESSAGE = 8;
  private static final long ERR_FORMAT_MESSAGE = 24;
  private static final long ERR_MSG_CODE = 40;
  private static final long ERR_NUM_WARNINGS = 128;
  private static final long ERR_MESSAGE_TABLE = 136;
  private static final long ERR_LAST_MESSAGE = 144;

  // the fields common to both structs (jpeg_common_fields)
  private static final long CINFO_ERR = 0;
  private static final long CINFO_CLIENT_DATA = 24;

  // struct jpeg_decompress_struct
  private static final long D_JPEG_COLOR_SPACE = 60;
  private static final long D_OUT_COLOR_SPACE = 64;
  private static final long D_DCT_METHOD = 96;
  private static final long D_DO_FANCY_UPSAMPLING = 100;
  private static final long D_OUTPUT_WIDTH = 136;
  private static final long D_OUTPUT_HEIGHT = 140;
  private static final long D_OUTPUT_COMPONENTS = 148;
  private static final long D_OUTPUT_SCANLINE = 168;

  // struct jpeg_compress_struct
  private static final long C_IMAGE_WIDTH = 48;
  private static final long C_IMAGE_HEIGHT = 52;
  private static final long C_INPUT_COMPONENTS = 56;
  private static final long C_IN_COLOR_SPACE = 60;
  private static final long C_DCT_METHOD = 276;
  private static final long C_NEXT_SCANLINE = 304;

  private static final int JCS_GRAYSCALE = 1;
  private static final int JCS_RGB = 2;
  private static final int JCS_YCBCR = 3;
  private static final int JCS_CMYK = 4;
  private static final int JCS_YCCK = 5;
  private static final int JDCT_ISLOW = 0;

  private static final String TRUNCATION_TEXT = "Premature end of JPEG file";

  private static final List<String> FUNCTIONS =
      List.of(
          "jpeg_std_error",
          "jpeg_CreateDecompress",
          "jpeg_CreateCompress",
          "jpeg_mem_src",
          "jpeg_mem_dest",
          "jpeg_read_header",
          "jpeg_start_decompress",
          "jpeg_read_scanlines",
          "jpeg_finish_decompress",
          "jpeg_destroy_decompress",
          "jpeg_set_defaults",
          "jpeg_set_quality",
          "jpeg_start_compress",
          "jpeg_write_scanlines",
          "jpeg_finish_compress",
          "jpeg_destroy_compress",
          "jpeg_skip_scanlines");

  private static final NativeLibrary LIBRARY = lookUp();

  /** The bound codec, or why binding failed; initialized on first use. */
  private static final class Bound {
    static final NativeLibrary.Binding<LibJpeg> BINDING = LIBRARY.bindCodec(LibJpeg::new);
  }

  private static final AddressLayout POINTER = ValueLayout.ADDRESS;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

  private final MethodHandle stdError;
  private final MethodHandle createDecompress;
  private final MethodHandle createCompress;
  private final MethodHandle memSrc;
  private final MethodHandle memDest;
  private final MethodHandle readHeader;
  private final MethodHandle startDecompress;
  private final MethodHandle readScanlines;
  private final MethodHandle finishDecompress;
  private final MethodHandle destroyDecompress;
  private final MethodHandle setDefaults;
  private final MethodHandle setQuality;
  private final MethodHandle startCompress;
  private final MethodHandle writeScanlines;
  private final MethodHandle finishCompress;
  private final MethodHandle destroyCompress;
  private final MethodHandle free;
  private final MemorySegment errorExitStub;
  private final MemorySegment emitMessageStub;

  /** The library's own {@code format_message}, for the upcalls. */
  private final MethodHandle formatMessage;

  /** The code of the warning "Premature end of JPEG file" in this library's message table. */
  private final int truncationCode;

  private LibJpeg(NativeLibrary library) throws Throwable {
    Linker linker = Linker.nativeLinker();
    ValueLayout cLong = (ValueLayout) linker.canonicalLayouts().get("long");
    ValueLayout size = (ValueLayout) linker.canonicalLayouts().get("size_t");
    stdError = library.bind(linker, "jpeg_std_error", FunctionDescriptor.of(POINTER, POINTER));
    createDecompress =
        library.bind(
            linker, "jpeg_CreateDecompress", FunctionDescriptor.ofVoid(POINTER, INT, size));
    createCompress =
        library.bind(linker, "jpeg_CreateCompress", FunctionDescriptor.ofVoid(POINTER, INT, size));
    memSrc =
        library.bind(linker, "jpeg_mem_src", FunctionDescriptor.ofVoid(POINTER, POINTER, cLong));
    memDest =
        library.bind(linker, "jpeg_mem_dest", FunctionDescriptor.ofVoid(POINTER, POINTER, POINTER));
    readHeader = library.bind(linker, "jpeg_read_header", FunctionDescriptor.of(INT, POINTER, INT));
    startDecompress =
        library.bind(linker, "jpeg_start_decompress", FunctionDescriptor.of(INT, POINTER));
    readScanlines =
        library.bind(
            linker, "jpeg_read_scanlines", FunctionDescriptor.of(INT, POINTER, POINTER, INT));
    finishDecompress =
        library.bind(linker, "jpeg_finish_decompress", FunctionDescriptor.of(INT, POINTER));
    destroyDecompress =
        library.bind(linker, "jpeg_destroy_decompress", FunctionDescriptor.ofVoid(POINTER));
    setDefaults = library.bind(linker, "jpeg_set_defaults", FunctionDescriptor.ofVoid(POINTER));
    setQuality =
        library.bind(linker, "jpeg_set_quality", FunctionDescriptor.ofVoid(POINTER, INT, INT));
    startCompress =
        library.bind(linker, "jpeg_start_compress", FunctionDescriptor.ofVoid(POINTER, INT));
    writeScanlines =
        library.bind(
            linker, "jpeg_write_scanlines", FunctionDescriptor.of(INT, POINTER, POINTER, INT));
    finishCompress =
        library.bind(linker, "jpeg_finish_compress", FunctionDescriptor.ofVoid(POINTER));
    destroyCompress =
        library.bind(linker, "jpeg_destroy_compress", FunctionDescriptor.ofVoid(POINTER));
    free =
        linker.downcallHandle(
            linker.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(POINTER));

    int truncation = -1;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment err = arena.allocate(ERROR_SIZE, 8);
      MemorySegment ignored = (MemorySegment) stdError.invokeExact(err);
      formatMessage =
          linker.downcallHandle(
              err.get(POINTER, ERR_FORMAT_MESSAGE), FunctionDescriptor.ofVoid(POINTER, POINTER));
      MemorySegment table = err.get(POINTER, ERR_MESSAGE_TABLE);
      int last = err.get(INT, ERR_LAST_MESSAGE);
      MemorySegment entries = table.reinterpret((last + 1L) * POINTER.byteSize());
      for (int code = 0; code <= last; code++) {
        MemorySegment text = entries.getAtIndex(POINTER, code);
        if (!text.equals(MemorySegment.NULL)
            && text.reinterpret(JMSG_LENGTH_MAX).getString(0).equals(TRUNCATION_TEXT)) {
          truncation = code;
        }
      }
    }
    if (truncation < 0) {
      throw new IllegalStateException("its message table has no \"" + TRUNCATION_TEXT + "\"");
    }
    truncationCode = truncation;

    MethodHandles.Lookup lookup = MethodHandles.lookup();
    errorExitStub =
        linker.upcallStub(
            lookup
                .findVirtual(
                    LibJpeg.class,
                    "errorExit",
                    MethodType.methodType(void.class, MemorySegment.class))
                .bindTo(this),
            FunctionDescriptor.ofVoid(POINTER),
            Arena.global());
    emitMessageStub =
        linker.upcallStub(
            lookup
                .findVirtual(
                    LibJpeg.class,
                    "emitMessage",
                    MethodType.methodType(void.class, MemorySegment.class, int.class))
                .bindTo(this),
            FunctionDescriptor.ofVoid(POINTER, INT),
            Arena.global());
  }

  private static NativeLibrary lookUp() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    Linker linker = Linker.nativeLinker();
    boolean lp64 =
        ValueLayout.ADDRESS.byteSize() == 8
            && linker.canonicalLayouts().get("long").byteSize() == 8;
    if (!os.contains("linux") || !lp64) {
      return NativeLibrary.unusable(
          "libjpeg", "libjpeg's classic API is used only on 64-bit Linux");
    }
    return NativeLibrary.find(
        "libjpeg",
        LIBRARY_PROPERTY,
        List.of("libjpeg.so.62"),
        FUNCTIONS,
        " (it is not libjpeg-turbo's)");
  }

  /** The codec, or empty when this system has no usable {@code libjpeg.so.62}. */
  static Optional<LibJpeg> instance() {
    return Optional.ofNullable(Bound.BINDING.codec());
  }

  /** Why {@link #instance()} is empty; null when it is not. */
  static String unavailableReason() {
    return Bound.BINDING.problem();
  }

  /** Why the library cannot be used as far as looking it up tells; binds nothing. */
  public static String libraryProblem() {
    return LIBRARY.problem();
  }

  @Override
  public String name() {
    return "libjpeg";
  }

  @Override
  public Image decode(byte[] jpeg) {
    JpegSyntax.check(jpeg);
    return decodeUnchecked(jpeg);
  }

  /**
   * Decodes without {@link JpegSyntax}'s checks, so that a malformed file reaches the library's
   * fatal error, which ends the JVM: only for tests of that path, in a process of their own.
   */
  Image decodeUnchecked(byte[] jpeg) {
    try {
      return decodeChecked(jpeg);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private Image decodeChecked(byte[] jpeg) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cinfo = arena.allocate(DECOMPRESS_SIZE, 8);
      MemorySegment err = errorManager(arena);
      cinfo.set(POINTER, CINFO_ERR, err);
      createDecompress.invokeExact(cinfo, JPEG_LIB_VERSION, DECOMPRESS_SIZE);
      try {
        MemorySegment source = arena.allocate(jpeg.length);
        MemorySegment.copy(jpeg, 0, source, ValueLayout.JAVA_BYTE, 0, jpeg.length);
        memSrc.invokeExact(cinfo, source, (long) jpeg.length);
        int ignored = (int) readHeader.invokeExact(cinfo, 1);
        int colorSpace = cinfo.get(INT, D_JPEG_COLOR_SPACE);
        Image.Mode mode =
            switch (colorSpace) {
              case JCS_GRAYSCALE -> Image.Mode.L;
              case JCS_RGB, JCS_YCBCR -> Image.Mode.RGB;
              case JCS_CMYK, JCS_YCCK -> throw new ImageException(ImageFiles.CMYK_MESSAGE);
              default ->
                  throw new ImageException(
                      "unsupported JPEG: its colour components are neither grayscale, RGB nor"
                          + " CMYK");
            };
        cinfo.set(INT, D_OUT_COLOR_SPACE, mode == Image.Mode.L ? JCS_GRAYSCALE : JCS_RGB);
        cinfo.set(INT, D_DCT_METHOD, JDCT_ISLOW);
        cinfo.set(INT, D_DO_FANCY_UPSAMPLING, 1);
        ignored = (int) startDecompress.invokeExact(cinfo);
        int width = cinfo.get(INT, D_OUTPUT_WIDTH);
        int height = cinfo.get(INT, D_OUTPUT_HEIGHT);
        if (cinfo.get(INT, D_OUTPUT_COMPONENTS) != mode.bands()) {
          throw new ImageException("libjpeg decoded an unexpected number of colour components");
        }
        int stride = width * mode.bands();
        byte[] pixels = new byte[Image.sampleCount(width, height, mode)];
        int bandRows = band(stride, height);
        MemorySegment band = arena.allocate((long) stride * bandRows);
        MemorySegment rows = rowPointers(arena, band, bandRows, stride);
        int row;
        while ((row = cinfo.get(INT, D_OUTPUT_SCANLINE)) < height) {
          int wanted = Math.min(bandRows, height - row);
          int filled = 0;
          while (filled < wanted) {
            int read =
                (int)
                    readScanlines.invokeExact(
                        cinfo, rows.asSlice(filled * POINTER.byteSize()), wanted - filled);
            if (read == 0) {
              throw new ImageException("libjpeg stopped before the image's last row");
            }
            filled += read;
          }
          MemorySegment.copy(band, ValueLayout.JAVA_BYTE, 0, pixels, row * stride, filled * stride);
        }
        ignored = (int) finishDecompress.invokeExact(cinfo);
        if (cinfo.get(LONG, CINFO_CLIENT_DATA) != 0) {
          throw new ImageException(ImageFiles.TRUNCATED_MESSAGE + " (" + TRUNCATION_TEXT + ")");
        }
        return new Image(width, height, mode, pixels);
      } finally {
        destroyDecompress.invokeExact(cinfo);
      }
    }
  }

  @Override
  public byte[] encode(Image image, int quality) {
    if (image.mode().hasAlpha()) {
      throw new ImageException(ImageFiles.cannotWriteJpeg(image.mode()));
    }
    try {
      return encodeChecked(image, quality);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] encodeChecked(Image image, int quality) throws Throwable {
    boolean gray = image.mode() == Image.Mode.L;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cinfo = arena.allocate(COMPRESS_SIZE, 8);
      MemorySegment err = errorManager(arena);
      cinfo.set(POINTER, CINFO_ERR, err);
      createCompress.invokeExact(cinfo, JPEG_LIB_VERSION, COMPRESS_SIZE);
      MemorySegment output = arena.allocate(POINTER);
      MemorySegment outputSize = arena.allocate(LONG);
      try {
        memDest.invokeExact(cinfo, output, outputSize);
        cinfo.set(INT, C_IMAGE_WIDTH, image.width());
        cinfo.set(INT, C_IMAGE_HEIGHT, image.height());
        cinfo.set(INT, C_INPUT_COMPONENTS, image.mode().bands());
        cinfo.set(INT, C_IN_COLOR_SPACE, gray ? JCS_GRAYSCALE : JCS_RGB);
        setDefaults.invokeExact(cinfo);
        setQuality.invokeExact(cinfo, quality, 1);
        cinfo.set(INT, C_DCT_METHOD, JDCT_ISLOW);
        startCompress.invokeExact(cinfo, 1);
        byte[] samples = image.samples();
        int height = image.height();
        int stride = image.stride();
        int bandRows = band(stride, height);
        MemorySegment band = arena.allocate((long) stride * bandRows);
        MemorySegment rows = rowPointers(arena, band, bandRows, stride);
        int row;
        while ((row = cinfo.get(INT, C_NEXT_SCANLINE)) < height) {
          int given = Math.min(bandRows, height - row);
          MemorySegment.copy(samples, row * stride, band, ValueLayout.JAVA_BYTE, 0, given * stride);
          int taken = 0;
          while (taken < given) {
            int written =
                (int)
                    writeScanlines.invokeExact(
                        cinfo, rows.asSlice(taken * POINTER.byteSize()), given - taken);
            if (written == 0) {
              throw new ImageException("libjpeg stopped before the image's last row");
            }
            taken += written;
          }
        }
        finishCompress.invokeExact(cinfo);
        long length = outputSize.get(LONG, 0);
        return output.get(POINTER, 0).reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
      } finally {
        destroyCompress.invokeExact(cinfo);
        MemorySegment buffer = output.get(POINTER, 0);
        if (!buffer.equals(MemorySegment.NULL)) {
          free.invokeExact(buffer);
        }
      }
    }
  }

  /** A standard error manager whose fatal errors and warnings come to this class. */
  private MemorySegment errorManager(Arena arena) throws Throwable {
    MemorySegment err = arena.allocate(ERROR_SIZE, 8);
    MemorySegment ignored = (MemorySegment) stdError.invokeExact(err);
    err.set(POINTER, ERR_ERROR_EXIT, errorExitStub);
    err.set(POINTER, ERR_EMIT_MESSAGE, emitMessageStub);
    return err;
  }

  /**
   * How many rows move between the library and the image at a time: a band of about 64 KiB, which
   * stays in the CPU's cache between the library's writes and the copy, where a whole image's
   * native buffer would cost its allocation and a pass through memory.
   */
  private static int band(int stride, int height) {
    return Math.max(1, Math.min(height, (64 << 10) / Math.max(1, stride)));
  }

  private static MemorySegment rowPointers(
      Arena arena, MemorySegment pixels, int height, int stride) {
    MemorySegment rows = arena.allocate(POINTER, height);
    for (int y = 0; y < height; y++) {
      rows.setAtIndex(POINTER, y, pixels.asSlice((long) y * stride, stride));
    }
    return rows;
  }

  /**
   * The library's {@code error_exit}: it must not return, so it reports the message and halts the
   * JVM (see the class comment). Never throws.
   */
  private void errorExit(MemorySegment cinfo) {
    String message = "no message";
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment text = arena.allocate(JMSG_LENGTH_MAX);
      formatMessage.invokeExact(cinfo, text);
      message = text.getString(0);
    } catch (Throwable e) {
      message = "no message (" + e + ")";
    }
    try {
      System.err.println(FATAL_PREFIX + message);
      System.err.flush();
    } finally {
      Runtime.getRuntime().halt(FATAL_EXIT);
    }
  }

  /**
   * The library's {@code emit_message}: counts warnings (level -1), marks the image truncated in
   * its {@code client_data} when the warning is a premature end of data, and ignores trace
   * messages. Never throws.
   */
  private void emitMessage(MemorySegment cinfo, int level) {
    if (level >= 0) {
      return;
    }
    MemorySegment common = cinfo.reinterpret(CINFO_CLIENT_DATA + LONG.byteSize());
    MemorySegment err = common.get(POINTER, CINFO_ERR).reinterpret(ERROR_SIZE);
    err.set(LONG, ERR_NUM_WARNINGS, err.get(LONG, ERR_NUM_WARNINGS) + 1);
    if (err.get(INT, ERR_MSG_CODE) == truncationCode) {
      common.set(LONG, CINFO_CLIENT_DATA, 1);
    }
  }
}
