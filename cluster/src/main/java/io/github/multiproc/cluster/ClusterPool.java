package io.github.multiproc.cluster;

import io.github.multiproc.Idempotent;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.cluster.internal.ClusterCodecs;
import io.github.multiproc.cluster.internal.ClusterDispatcher;
import io.github.multiproc.cluster.internal.MemberScheduler;
import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.ChunkDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.github.multiproc.Pool} whose workers are the members of a Hazelcast cluster: the
 * same {@code map}/{@code imap}/{@code imapUnordered}/{@code submit} as the thread and process
 * pools, for work that outgrows one machine. Select it with {@code multiproc.backend=cluster}
 * ({@link ClusterPoolProvider}) or build it:
 *
 * {@snippet :
 * // development: an embedded member in this JVM, on loopback
 * try (ClusterPool pool = ClusterPool.builder().build()) {
 *   List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9]
 * }
 *
 * // production: a client of a running cluster (members started with ClusterMember)
 * try (ClusterPool pool = ClusterPool.builder()
 *     .mode(ClusterMode.CLIENT)
 *     .clusterName("jobs")
 *     .members("10.0.0.11:5701", "10.0.0.12:5701")
 *     .allowClasses("com.acme.jobs.")                 // task/input/result packages
 *     .maxAttempts(3)                                 // for tasks marked Idempotent
 *     .build()) {
 *   List<Report> reports = pool.map(Idempotent.task(Analysis::run), files);
 * }
 * }
 *
 * <p><b>Work.</b> Inputs travel in chunks; each chunk's run is one Hazelcast executor task, sent to
 * the member with the fewest of this pool's chunks running. A chunk carries the call's task and its
 * items (ipc's {@link io.github.multiproc.ipc.codec.JdkCodec}: the task as one unit, the items as
 * one value sequence), and comes back with one value or failure per item. A task that throws fails
 * its item with the original exception, or a {@link io.github.multiproc.RemoteException} when the
 * exception does not serialize or cannot be rebuilt here. Decoding, on members and here, allows
 * only ipc's default rule ({@link io.github.multiproc.ipc.codec.AllowRule}: JDK value types,
 * collections, records, enums, JDK exceptions, this library) plus the allow-list
 * ({@link Builder#allowClasses}, {@code ClusterMember --allow}) and, here, the task's package. Task,
 * input and result classes must be on every member's class path and allowed there; a member that
 * lacks one fails the items with {@link MemberClassMissingException} naming the class and the
 * member; a result refused here fails its item alone.
 *
 * <p><b>Members that leave or die.</b> Their chunks are re-run on the remaining members when the
 * task is {@link Idempotent} (up to {@link Builder#maxAttempts} members per chunk); otherwise their
 * items fail with {@link MemberLostException} naming the member. A dropped connection is noticed
 * at once, a silent member within {@link Builder#failureDetection}; nothing waits forever. With
 * {@link Builder#durableExecutor(boolean) the durable executor} Hazelcast itself keeps a backup of
 * each chunk and runs it again on the backup's member; see {@code docs/scaling.md} for what each
 * choice guarantees.
 *
 * <p><b>Per-task timeouts</b> are not supported: calls that set one are refused with
 * {@link UnsupportedOperationException}. {@code cancel(true)} and caller interrupts do reach the
 * members, which interrupt the running tasks.
 *
 * <p><b>Thread safety</b> and <b>memory consistency</b>: see {@link io.github.multiproc.Pool};
 * only what travels in the task, inputs and results is shared. {@link #close()} lets accepted
 * work finish, then shuts down the embedded member or client (no Hazelcast thread is left); a pool
 * given an existing instance with {@link Builder#instance} leaves that instance running.
 *
 * @since 0.1
 */
public final class ClusterPool extends AbstractPool {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPool.class);

  private final HazelcastInstance hazelcast;
  private final boolean ownsInstance;
  private final MemberScheduler scheduler;
  private final int workers;
  private final AllowRule rule;

  private ClusterPool(Builder b, HazelcastInstance hazelcast, boolean ownsInstance) {
    super("ClusterPool");
    this.hazelcast = hazelcast;
    this.ownsInstance = ownsInstance;
    this.rule = ClusterCodecs.rule(b.allowed());
    this.scheduler = new MemberScheduler(hazelcast, HazelcastConfigs.EXECUTOR, b.durable, b.maxAttempts);
    this.workers = b.workers > 0 ? b.workers
        : Math.max(1, scheduler.memberCount()) * Runtime.getRuntime().availableProcessors();
  }

  /** {@return a builder: embedded member on loopback, cluster name {@code multiproc}} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how many chunks the pool plans to run at once across the cluster: it sizes chunks and
   * bounds the chunks in flight ({@code 2 * workers}); each member runs as many at once as its
   * executor has threads.
   */
  @Override
  public int workers() {
    return workers;
  }

  /** {@return the number of data members in the cluster now} */
  public int members() {
    return scheduler.memberCount();
  }

  /** {@return the Hazelcast instance (embedded member or client) this pool works through} */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  @Override
  protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions options) {
    checkOpen();
    return ClusterDispatcher.open(scheduler, task, rule, this::checkOpen);
  }

  @Override
  protected void doClose() {
    boolean interrupted = scheduler.awaitOutstanding();
    scheduler.close();
    if (ownsInstance) {
      hazelcast.shutdown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt(); // the wait went on; the status is the caller's
    }
  }

  /**
   * Builds a {@link ClusterPool}. Not thread-safe; each setter checks its argument at once.
   */
  public static final class Builder {
    private ClusterMode mode = ClusterMode.EMBEDDED;
    private String clusterName = "multiproc";
    private List<String> members = List.of();
    private int port = 5701;
    private int workers;
    private boolean durable;
    private int maxAttempts = 3;
    private final List<String> allowClasses = new ArrayList<>();
    private int memberThreads = Runtime.getRuntime().availableProcessors();
    private Duration failureDetection = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(30);
    private HazelcastInstance instance;

    private Builder() {}

    /**
     * Sets how the pool reaches the cluster.
     *
     * @param mode {@link ClusterMode#EMBEDDED} (the default) or {@link ClusterMode#CLIENT}
     * @return this builder
     */
    public Builder mode(ClusterMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the cluster name; members and clients of different names never talk. Use a name per
     * application and environment.
     *
     * @param name not blank
     * @return this builder
     */
    public Builder clusterName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("clusterName must not be blank: clusterName=" + name);
      }
      this.clusterName = name;
      return this;
    }

    /**
     * Sets the addresses of cluster members ({@code host} or {@code host:port}): where a client
     * connects, or which members an embedded member joins. Default: {@code 127.0.0.1}.
     *
     * @param addresses at least one
     * @return this builder
     */
    public Builder members(String... addresses) {
      return members(List.of(addresses));
    }

    /**
     * Sets the member addresses; see {@link #members(String...)}.
     *
     * @param addresses at least one, none blank
     * @return this builder
     */
    public Builder members(List<String> addresses) {
      if (addresses.isEmpty() || addresses.stream().anyMatch(a -> a == null || a.isBlank())) {
        throw new IllegalArgumentException("members must be host or host:port addresses: members=" + addresses);
      }
      this.members = List.copyOf(addresses);
      return this;
    }

    /**
     * Sets the first port an embedded member tries (it takes the next free one after it).
     *
     * @param port 1 to 65535; default 5701
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be in 1..65535: port=" + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets {@link ClusterPool#workers()}. Default: members at start times this machine's
     * processors.
     *
     * @param workers at least 1
     * @return this builder
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1: workers=" + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Runs chunks on Hazelcast's durable executor instead of the plain one: each chunk is stored
     * with a backup, and if its member dies Hazelcast runs it again on the backup's member, for
     * every task (at-least-once, so only for tasks that tolerate a second run). Cancellation is
     * then best-effort. Default: off.
     *
     * @param durable whether to use the durable executor
     * @return this builder
     */
    public Builder durableExecutor(boolean durable) {
      this.durable = durable;
      return this;
    }

    /**
     * Sets on how many members a chunk of an {@link Idempotent} task may be tried before its items
     * fail with {@link MemberLostException}. Tasks not marked idempotent are tried once.
     *
     * @param maxAttempts at least 1; default 3
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1: maxAttempts=" + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Adds class-name prefixes to the allow-list of classes that may be deserialized (besides
     * ipc's default rule, {@link io.github.multiproc.ipc.codec.AllowRule#defaults()}): the
     * packages of your tasks, inputs, results and exceptions, such as {@code "com.acme.jobs."}
     * (that package and its sub-packages). Members must allow them too.
     *
     * @param prefixes binary-name prefixes
     * @return this builder
     */
    public Builder allowClasses(String... prefixes) {
      for (String p : prefixes) {
        if (p == null || p.isBlank()) {
          throw new IllegalArgumentException("allowClasses prefixes must not be blank: prefix=" + p);
        }
        allowClasses.add(p);
      }
      return this;
    }

    /**
     * Sets how many chunks an embedded member runs at once.
     *
     * @param threads at least 1; default: available processors
     * @return this builder
     */
    public Builder memberThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("memberThreads must be >= 1: memberThreads=" + threads);
      }
      this.memberThreads = threads;
      return this;
    }

    /**
     * Sets how long a member (or the client's connection) may stay silent before it is declared
     * dead and its chunks re-run or failed. Shorter notices faults sooner but risks false alarms
     * under long GC pauses.
     *
     * @param timeout at least 2 seconds; default 10 seconds
     * @return this builder
     */
    public Builder failureDetection(Duration timeout) {
      if (timeout == null || timeout.compareTo(Duration.ofSeconds(2)) < 0) {
        throw new IllegalArgumentException("failureDetection must be >= 2s: failureDetection=" + timeout);
      }
      this.failureDetection = timeout;
      return this;
    }

    /**
     * Sets how long a client tries to reach the cluster before {@link #build()} fails.
     *
     * @param timeout positive; default 30 seconds
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: connectTimeout=" + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Works through an existing Hazelcast member or client instead of starting one; the pool then
     * does not shut it down on close. Its members need the {@code multiproc} executor (any
     * default executor configuration works).
     *
     * @param instance a running instance
     * @return this builder
     */
    public Builder instance(HazelcastInstance instance) {
      this.instance = Objects.requireNonNull(instance, "instance");
      return this;
    }

    List<String> allowed() {
      return HazelcastConfigs.allowed(allowClasses);
    }

    HazelcastConfigs.MemberSettings memberSettings() {
      return new HazelcastConfigs.MemberSettings(clusterName, port, members, allowed(), memberThreads,
          failureDetection, HazelcastConfigs.allLoopback(members), false);
    }

    /**
     * Starts the embedded member or connects the client, and returns the pool.
     *
     * @return the pool; close it when done
     * @throws IllegalStateException if the client cannot reach the cluster within the connect
     *     timeout (the message names the cluster and addresses)
     */
    public ClusterPool build() {
      if (instance != null) {
        return new ClusterPool(this, instance, false);
      }
      HazelcastInstance hz;
      if (mode == ClusterMode.EMBEDDED) {
        hz = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(memberSettings()));
      } else {
        try {
          hz = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(clusterName, members, allowed(),
              failureDetection, connectTimeout));
        } catch (IllegalStateException e) {
          throw new IllegalStateException("could not connect to cluster '" + clusterName + "' at "
              + (members.isEmpty() ? "127.0.0.1:5701" : members) + " within " + connectTimeout
              + ": check that members run, the cluster name matches, and the addresses are reachable", e);
        }
      }
      try {
        ClusterPool pool = new ClusterPool(this, hz, true);
        LOG.info("ClusterPool ready: {} mode, cluster '{}', {} member(s), {} workers", mode, clusterName,
            pool.members(), pool.workers());
        return pool;
      } catch (RuntimeException e) {
        hz.shutdown();
        throw e;
      }
    }
  }
}
