package io.jfutures.base;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.WeakHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers each pool's {@link PoolBean} with the platform MBean server, without ever being the one
 * to start JMX: starting the platform MBean server costs a JVM a few hundred milliseconds, which a
 * program that never looks should not pay. While JMX is not running, a daemon thread looks once a
 * second whether something started it ({@link MBeanServerFactory#findMBeanServer} lists it without
 * creating it), then registers every pool made so far, and exits; pools made after that register at
 * once. The thread runs only while a pool is waiting. A pool is unregistered when it is shut down.
 *
 * <p>All state is guarded by the class's monitor; registering happens outside it.
 */
final class ManagedPools {
  private static final long LOOK_EVERY_MILLIS = 1_000;

  /**
   * The pools not yet shut down, with the names of those registered (null while waiting); weak, so
   * that a forgotten pool can still be collected.
   */
  private static final Map<PoolCore, ObjectName> POOLS = new WeakHashMap<>();

  private static MBeanServer server;
  private static Thread watcher;

  private ManagedPools() {}

  /** Registers {@code pool} now if JMX runs, else once it does. */
  static void publish(PoolCore pool) {
    MBeanServer registerWith;
    synchronized (ManagedPools.class) {
      POOLS.put(pool, null);
      registerWith = server;
      if (registerWith == null) {
        if (watcher == null) {
          watcher =
              Thread.ofPlatform()
                  .daemon(true)
                  .name("jfutures-jmx-watch")
                  .start(ManagedPools::awaitJmx);
        }
        return;
      }
    }
    register(registerWith, pool);
  }

  /** Unregisters {@code pool}, or forgets it if it was waiting. */
  static void withdraw(PoolCore pool) {
    ObjectName name;
    MBeanServer registeredWith;
    synchronized (ManagedPools.class) {
      name = POOLS.remove(pool);
      registeredWith = server;
    }
    if (name != null && registeredWith != null) {
      try {
        registeredWith.unregisterMBean(name);
      } catch (InstanceNotFoundException gone) {
        // someone else unregistered it
      } catch (JMException e) {
        log(Level.DEBUG, "could not unregister " + name, e);
      }
    }
  }

  private static void awaitJmx() {
    while (true) {
      synchronized (ManagedPools.class) {
        if (POOLS.isEmpty()) {
          watcher = null;
          return;
        }
      }
      if (!MBeanServerFactory.findMBeanServer(null).isEmpty()) {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        PoolCore[] waiting;
        synchronized (ManagedPools.class) {
          server = platform;
          watcher = null;
          waiting = POOLS.keySet().toArray(PoolCore[]::new);
        }
        for (PoolCore pool : waiting) {
          register(platform, pool);
        }
        return;
      }
      try {
        Thread.sleep(LOOK_EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Registers {@code pool} under its name, numbered past any that is taken; unregisters it at once
   * if it was withdrawn meanwhile.
   */
  private static void register(MBeanServer with, PoolCore pool) {
    PoolBean bean = new PoolBean(pool);
    for (int n = 1; ; n++) {
      String label = n == 1 ? pool.name() : pool.name() + "#" + n;
      try {
        ObjectName name = new ObjectName("io.jfutures:type=Pool,name=" + ObjectName.quote(label));
        with.registerMBean(bean, name);
        boolean withdrawn;
        synchronized (ManagedPools.class) {
          withdrawn = !POOLS.containsKey(pool);
          if (!withdrawn) {
            POOLS.put(pool, name);
          }
        }
        if (withdrawn) {
          with.unregisterMBean(name);
        }
        return;
      } catch (InstanceAlreadyExistsException taken) {
        // try the next number
      } catch (JMException | RuntimeException e) {
        log(Level.DEBUG, "could not register " + label + " with JMX", e);
        return;
      }
    }
  }

  /** Reports what JMX refused; the logger is looked up only then, off a pool's creation. */
  private static void log(Level level, String message, Throwable cause) {
    System.getLogger(ManagedPools.class.getName()).log(level, message, cause);
  }
}
