package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.jfutures.remote.FetchedResource;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A member's class loader for the tasks of one class loader of one client program: it finds what
 * the member has first (its class path and {@code --classpath}), and asks the program for any other
 * class or resource through {@link ClientCode}'s topic and map, waiting up to {@value
 * #WAIT_SECONDS} seconds for the answer. One per program and loader, kept for the most recent
 * {@value #KEEP} of them, so that two versions of a class never meet.
 */
final class MemberClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final int WAIT_SECONDS = 30;
  private static final int KEEP = 64;

  private static final Map<String, MemberClassLoader> LOADERS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MemberClassLoader> eldest) {
          return size() > KEEP;
        }
      };

  private final HazelcastInstance member;
  private final String programId;
  private final int loaderId;

  private MemberClassLoader(
      HazelcastInstance member, String programId, int loaderId, ClassLoader parent) {
    super("jfutures-program-" + programId.substring(0, 8) + "-" + loaderId, parent);
    this.member = member;
    this.programId = programId;
    this.loaderId = loaderId;
  }

  /** The loader for program {@code programId}'s loader {@code loaderId} on this member. */
  static ClassLoader of(
      HazelcastInstance member, String programId, int loaderId, ClassLoader parent) {
    synchronized (LOADERS) {
      return LOADERS.computeIfAbsent(
          programId + "/" + loaderId,
          k -> new MemberClassLoader(member, programId, loaderId, parent));
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] answer = fetch(name.replace('.', '/') + ".class");
    if (answer == null) {
      throw new ClassNotFoundException(
          name
              + ": the client that submitted the task did not answer within "
              + WAIT_SECONDS
              + " s");
    }
    if (answer[0] != ClientCode.FOUND) {
      throw new ClassNotFoundException(
          name
              + " is not on this member's class path, and its client did not find it either: "
              + new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8));
    }
    return defineClass(name, answer, 1, answer.length - 1);
  }

  @Override
  protected URL findResource(String name) {
    byte[] answer = fetch(name);
    if (answer == null || answer[0] != ClientCode.FOUND) {
      return null;
    }
    return FetchedResource.url(
        "jfutures-client", loaderId, name, Arrays.copyOfRange(answer, 1, answer.length));
  }

  /** The program's answer for {@code name}, asking for it if no member has yet; null on timeout. */
  private byte[] fetch(String name) {
    IMap<String, byte[]> code = member.getMap(ClientCode.MAP);
    String key = ClientCode.key(programId, loaderId, name);
    byte[] answer = code.get(key);
    if (answer != null) {
      return answer;
    }
    member
        .<String>getTopic(ClientCode.TOPIC_PREFIX + programId)
        .publish(ClientCode.request(loaderId, name));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    long pause = 1;
    while (System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      answer = code.get(key);
      if (answer != null) {
        return answer;
      }
      pause = Math.min(50, pause * 2);
    }
    return null;
  }
}
