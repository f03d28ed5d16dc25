package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.jfutures.remote.TaskLoaders;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The code of one client's program, as members without it reach it: over two primitives of
 * Hazelcast's open-source edition (its User Code Deployment is deprecated and User Code Namespaces
 * are Enterprise-only). A member that lacks a class of a task publishes the class's name on the
 * program's request topic; the program's pool answers by putting the bytes, from the class loader
 * that defined the task, into the shared {@value #MAP} map under the program, loader and name,
 * where the member reads them. A program is a fresh id for each pool, so two programs (or one
 * rebuilt and reconnected) never share a class; entries expire after {@value #KEEP_HOURS} hours.
 */
final class ClientCode {
  static final String MAP = "jfutures-code";
  static final String TOPIC_PREFIX = "jfutures-code-requests-";
  static final int KEEP_HOURS = 6;

  /** An answer's first byte: the bytes follow, or the name is nowhere and a reason follows. */
  static final byte FOUND = 1;

  static final byte MISSING = 0;

  final String programId = UUID.randomUUID().toString();
  final TaskLoaders loaders = new TaskLoaders();
  private final HazelcastInstance instance;
  private final UUID listener;

  /** Serves the members' requests on {@code executor}, never on Hazelcast's event threads. */
  ClientCode(HazelcastInstance instance, Executor executor) {
    this.instance = instance;
    ITopic<String> requests = instance.getTopic(TOPIC_PREFIX + programId);
    this.listener =
        requests.addMessageListener(
            message -> executor.execute(() -> serve(message.getMessageObject())));
  }

  /** The key of a class or resource of this program's loader {@code loaderId}. */
  static String key(String programId, int loaderId, String name) {
    return programId + "/" + loaderId + "/" + name;
  }

  /** A request's text: the loader's number and the resource's name. */
  static String request(int loaderId, String name) {
    return loaderId + "/" + name;
  }

  private void serve(String request) {
    int slash = request.indexOf('/');
    if (slash < 0) {
      return;
    }
    int loaderId;
    try {
      loaderId = Integer.parseInt(request.substring(0, slash));
    } catch (NumberFormatException e) {
      return;
    }
    String name = request.substring(slash + 1);
    ClassLoader loader = loaders.loader(loaderId);
    byte[] answer;
    try {
      byte[] bytes = loader == null ? null : TaskLoaders.read(loader, name);
      answer =
          bytes != null
              ? concat(FOUND, bytes)
              : concat(MISSING, (name + " is not in " + TaskLoaders.describe(loader)).getBytes());
    } catch (IOException e) {
      answer = concat(MISSING, (name + " could not be read: " + e).getBytes());
    }
    try {
      IMap<String, byte[]> code = instance.getMap(MAP);
      code.put(key(programId, loaderId, name), answer, KEEP_HOURS, TimeUnit.HOURS);
    } catch (RuntimeException stopped) {
      // the instance is going: the member's request times out
    }
  }

  private static byte[] concat(byte first, byte[] rest) {
    byte[] all = Arrays.copyOf(new byte[] {first}, 1 + rest.length);
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** Stops answering; what members fetched stays until it expires. */
  void close() {
    try {
      instance.getTopic(TOPIC_PREFIX + programId).removeMessageListener(listener);
    } catch (RuntimeException alreadyDown) {
      // nothing to remove
    }
  }
}
