package io.jfutures.codec;

import io.jfutures.RemoteException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The body of an exception: its class name, message and stack trace as text, then its serialized
 * form if it has one, so that a receiver that cannot recreate the class, or read the form, gets a
 * {@link RemoteException} with the same facts instead.
 */
final class Throwables {
  private Throwables() {}

  static void write(Buffer out, Throwable t) throws IOException {
    out.writeString(t.getClass().getName());
    out.writeBoolean(t.getMessage() != null);
    if (t.getMessage() != null) {
      out.writeString(t.getMessage());
    }
    StringWriter stack = new StringWriter();
    t.printStackTrace(new PrintWriter(stack));
    out.writeString(stack.toString());
    try {
      Serialized.writeOrNothing(out, t);
    } catch (IOException notSerializable) {
      out.writeInt(-1);
    }
  }

  static Throwable read(Input in) throws IOException {
    String className = in.readString();
    String message = in.readBoolean() ? in.readString() : null;
    String stack = in.readString();
    int length = in.readInt();
    if (length >= 0) {
      try {
        return (Throwable) Serialized.read(in, length);
      } catch (IOException | ClassNotFoundException | ClassCastException unreadable) {
        // fall through to the stand-in
      }
    }
    return new RemoteException(className, message, stack);
  }
}
