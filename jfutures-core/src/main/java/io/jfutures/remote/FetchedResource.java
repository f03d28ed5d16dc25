package io.jfutures.remote;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;

/**
 * A resource that a worker or member fetched from the program, as the URL that {@code
 * ClassLoader.getResource} returns: reading it gives the fetched bytes, and nothing is fetched
 * again.
 */
public final class FetchedResource {
  private FetchedResource() {}

  /**
   * A URL of scheme {@code scheme} naming resource {@code name} of loader {@code loaderId}, whose
   * stream is {@code bytes}; null if the name cannot be put in a URL.
   */
  public static URL url(String scheme, int loaderId, String name, byte[] bytes) {
    try {
      return URL.of(
          URI.create(scheme + ":/" + loaderId + "/" + name.replace(" ", "%20")),
          new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL url) {
              return new URLConnection(url) {
                @Override
                public void connect() {}

                @Override
                public InputStream getInputStream() {
                  return new ByteArrayInputStream(bytes);
                }

                @Override
                public long getContentLengthLong() {
                  return bytes.length;
                }
              };
            }
          });
    } catch (MalformedURLException | IllegalArgumentException unnamable) {
      return null;
    }
  }
}
