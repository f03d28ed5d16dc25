package io.jfutures.cli.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * A native library that a codec calls through the FFM API, looked up under the name a system
 * property gives, else under its usual names, and accepted only with every function the codec
 * binds. Looking a library up is cheap and binding its functions is not (the FFM linker's start and
 * one generated stub per function take a fresh JVM tens of milliseconds), so a codec keeps its
 * lookup in a constant and binds in a holder class initialized on first use: a process that only
 * asks {@link #problem()}, as the CLI's parent does, never pays for binding.
 *
 * @param what the library's short name, for messages
 * @param symbols the library; null exactly when {@code problem} is not
 * @param problem why the library cannot be used, for a message; null when it can
 */
record NativeLibrary(String what, SymbolLookup symbols, String problem) {

  /** A library that cannot be used, for {@code reason}. */
  static NativeLibrary unusable(String what, String reason) {
    return new NativeLibrary(what, null, reason);
  }

  /**
   * Looks {@code what} up under the name in system property {@code property} if set, else under
   * {@code names} in turn, and checks that it has every one of {@code functions}.
   *
   * @param notOurs said after "NAME lacks FUNCTION" when a library of that name lacks one
   */
  static NativeLibrary find(
      String what, String property, List<String> names, List<String> functions, String notOurs) {
    String configured = System.getProperty(property);
    List<String> candidates = configured != null ? List.of(configured) : names;
    for (String name : candidates) {
      SymbolLookup library;
      try {
        library = SymbolLookup.libraryLookup(name, Arena.global());
      } catch (IllegalArgumentException notFound) {
        continue;
      } catch (IllegalCallerException e) {
        return unusable(what, what + " could not be used: " + e.getMessage());
      }
      for (String function : functions) {
        if (library.find(function).isEmpty()) {
          return unusable(
              what, what + " could not be used: " + name + " lacks " + function + notOurs);
        }
      }
      return new NativeLibrary(what, library, null);
    }
    return unusable(what, what + " not found (looked for " + String.join(", ", candidates) + ")");
  }

  /**
   * A codec bound to this library, or why none could be: what a codec's holder class keeps.
   *
   * @param codec the codec; null exactly when {@code problem} is not
   * @param problem why the codec cannot be used, for a message; null when it can
   */
  record Binding<C>(C codec, String problem) {}

  /** A codec's constructor: it binds the library's functions, and may call some of them. */
  @FunctionalInterface
  interface Binder<C> {
    C bind(NativeLibrary library) throws Throwable;
  }

  /**
   * Binds a codec with {@code binder} if the library was found; whatever stops it, but the JVM's
   * own failures, becomes the problem.
   */
  <C> Binding<C> bindCodec(Binder<C> binder) {
    if (symbols == null) {
      return new Binding<>(null, problem);
    }
    try {
      return new Binding<>(binder.bind(this), null);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return new Binding<>(null, what + " could not be used: " + e);
    }
  }

  /** A downcall handle for the library's function {@code name}. */
  MethodHandle bind(
      Linker linker, String name, FunctionDescriptor descriptor, Linker.Option... options) {
    MemorySegment symbol =
        symbols.find(name).orElseThrow(() -> new IllegalStateException(what + " lacks " + name));
    return linker.downcallHandle(symbol, descriptor, options);
  }
}
