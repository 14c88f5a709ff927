package io.github.multiproc.cluster;

import io.github.multiproc.Idempotent;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiproc.MapOptions;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.PoolEventListener;
import io.github.multiproc.PoolStats;
import io.github.multiproc.Task;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.ChunkDispatcher;
import java.time.Duration;
import java.util.List;
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

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ClusterPool.class);
  }

  private final ClusterBackend cluster;
  private final int workers;

  private ClusterPool(ClusterBackend cluster, int workers) {
    super("ClusterPool");
    this.cluster = cluster;
    this.workers = workers > 0 ? workers
        : Math.max(1, cluster.memberCount()) * Runtime.getRuntime().availableProcessors();
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
    return cluster.memberCount();
  }

  /** {@return the Hazelcast instance (embedded member or client) this pool works through} */
  public HazelcastInstance hazelcast() {
    return cluster.hazelcast();
  }

  @Override
  protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions options) {
    checkOpen();
    return cluster.openCall(task, this::checkOpen);
  }

  /**
   * Chunks sent to a member and not yet answered are in flight and keep a worker busy (up to
   * {@link #workers()}); members queue chunks themselves, so none is queued here.
   */
  @Override
  protected BackendStats backendStats() {
    int inFlight = cluster.inFlight();
    return new BackendStats(workers, Math.min(inFlight, workers), 0, 0, inFlight, PoolStats.Replacements.NONE);
  }

  /**
   * Members run serialized copies of the tasks, so the {@link #asExecutorService()} view cannot
   * tell a queued task from a running one: its {@code shutdownNow()} cancels them all and returns
   * an empty list.
   *
   * @return false
   */
  @Override
  protected boolean runsTasksInThisJvm() {
    return false;
  }

  @Override
  protected void doClose() {
    if (cluster.close()) {
      Thread.currentThread().interrupt(); // the wait went on; the status is the caller's
    }
  }

  /**
   * Builds a {@link ClusterPool}. Not thread-safe; each setter checks its argument at once.
   */
  public static final class Builder {
    private final ClusterPoolOptions options = new ClusterPoolOptions();

    private Builder() {}

    /**
     * Sets how the pool reaches the cluster.
     *
     * @param mode {@link ClusterMode#EMBEDDED} (the default) or {@link ClusterMode#CLIENT}
     * @return this builder
     */
    public Builder mode(ClusterMode mode) {
      options.mode(mode);
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
      options.clusterName(name);
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
      options.members(addresses);
      return this;
    }

    /**
     * Sets the first port an embedded member tries (it takes the next free one after it).
     *
     * @param port 1 to 65535; default 5701
     * @return this builder
     */
    public Builder port(int port) {
      options.port(port);
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
      options.workers(workers);
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
      options.durable(durable);
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
      options.maxAttempts(maxAttempts);
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
      options.allowClasses(prefixes);
      return this;
    }

    /**
     * Sets how many chunks an embedded member runs at once.
     *
     * @param threads at least 1; default: available processors
     * @return this builder
     */
    public Builder memberThreads(int threads) {
      options.memberThreads(threads);
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
      options.failureDetection(timeout);
      return this;
    }

    /**
     * Sets how long a client tries to reach the cluster before {@link #build()} fails.
     *
     * @param timeout positive; default 30 seconds
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      options.connectTimeout(timeout);
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
      options.instance(instance);
      return this;
    }

    /**
     * Receives the pool's events: {@link PoolEvent.WorkerStarted} for each member present when
     * the pool starts and each that joins, {@link PoolEvent.WorkerDied} for each that leaves or is
     * lost, {@link PoolEvent.TaskFailed} for each failed item. The pid is the member's if it
     * publishes one ({@link ClusterMember} does) and the event can name the member (a failed item
     * names it only when its member was lost), else {@code -1}.
     *
     * @param listener the listener (see {@link PoolEventListener} for threading)
     * @return this builder
     */
    public Builder eventListener(PoolEventListener listener) {
      options.listener(listener);
      return this;
    }

    /**
     * Describes every option set, for logs and for checking what configuration produced.
     *
     * @return the options, such as {@code ClusterPool.Builder[mode=CLIENT, clusterName=jobs, ...]}
     */
    @Override
    public String toString() {
      return options.toString();
    }

    /**
     * Starts the embedded member or connects the client, and returns the pool.
     *
     * @return the pool; close it when done
     * @throws IllegalStateException if the client cannot reach the cluster within the connect
     *     timeout (the message names the cluster and addresses)
     */
    public ClusterPool build() {
      ClusterBackend cluster = ClusterBackend.open(options);
      ClusterPool pool;
      try {
        pool = new ClusterPool(cluster, options.workers());
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      if (cluster.ownsInstance()) {
        Log.LOG.info("ClusterPool ready: {} mode, cluster '{}', {} member(s), {} workers", options.mode(),
            options.clusterName(), pool.members(), pool.workers());
      }
      return pool;
    }
  }
}
