package io.github.multiproc.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends chunks to cluster members and follows them until they answer: picks the member with the
 * fewest of this pool's chunks running, watches membership, and when a member leaves or dies
 * either re-runs its chunks elsewhere (idempotent tasks, up to a number of attempts) or fails them
 * with {@link MemberGoneException} naming the member.
 *
 * <p><b>Never a hang.</b> A chunk ends when its Hazelcast future does (a dropped connection fails
 * it at once) or when Hazelcast's failure detector removes its member, whichever comes first; the
 * membership listener fails the chunks of a removed member itself rather than trusting the
 * invocation to notice.
 *
 * <p><b>Thread safety.</b> Thread-safe. {@link #submit} may be called from any thread;
 * completions arrive on Hazelcast's threads. Per-member bookkeeping lives in concurrent maps; a
 * run's outcome is settled once per attempt by a compare-and-set.
 */
public final class MemberScheduler implements MembershipListener {

  /** The member attribute under which members we configure publish their pid. */
  public static final String PID_ATTRIBUTE = "multiproc.pid";

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(MemberScheduler.class);
  }

  private final HazelcastInstance hazelcast;
  private final IExecutorService executor;
  private final DurableExecutorService durable;
  private final int maxAttempts;
  private final Map<UUID, Set<Attempt>> running = new ConcurrentHashMap<>();
  private final Set<Run> outstanding = ConcurrentHashMap.newKeySet();
  private final UUID registration;

  /**
   * Starts watching the cluster.
   *
   * @param hazelcast a member or client instance
   * @param executorName the executor's name (an {@code IExecutorService} or a durable one)
   * @param useDurable whether to use the durable executor
   * @param maxAttempts how many members an idempotent chunk may be tried on, at least 1
   */
  public MemberScheduler(HazelcastInstance hazelcast, String executorName, boolean useDurable, int maxAttempts) {
    this.hazelcast = hazelcast;
    this.executor = useDurable ? null : hazelcast.getExecutorService(executorName);
    this.durable = useDurable ? hazelcast.getDurableExecutorService(executorName) : null;
    this.maxAttempts = maxAttempts;
    this.registration = hazelcast.getCluster().addMembershipListener(this);
  }

  /**
   * Starts running a chunk on the least busy member.
   *
   * @param memberRun the chunk's task and items, as they travel to a member
   * @param idempotent whether it may run again elsewhere after its member was lost
   * @return its reply; completes exceptionally with {@link MemberGoneException} when its member
   *     was lost (and it was not re-run), with {@link NoMemberException} when no member is left;
   *     {@code cancel(true)} cancels it on the member, interrupting the task
   */
  public CompletableFuture<ChunkReply> submit(MemberRun memberRun, boolean idempotent) {
    Run run = new Run(memberRun, idempotent);
    outstanding.add(run);
    run.whenComplete((r, e) -> outstanding.remove(run));
    start(run);
    return run;
  }

  /** {@return the futures of every chunk not yet answered, for a pool that waits on close} */
  public List<CompletableFuture<ChunkReply>> outstanding() {
    return new ArrayList<>(outstanding);
  }

  /**
   * Waits until every outstanding chunk is done. An interrupt cancels them all (the members
   * interrupt the running tasks) and the wait goes on, so that the pool closes cleanly.
   *
   * @return whether the calling thread was interrupted meanwhile (its status is cleared: the
   *     caller restores it once it is done closing)
   */
  public boolean awaitOutstanding() {
    boolean interrupted = false;
    for (CompletableFuture<?> f : outstanding()) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // cancel running work, keep waiting; the caller restores the status
          outstanding().forEach(o -> o.cancel(true));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
          break;
        }
      }
    }
    return interrupted;
  }

  /** {@return the number of data members in the cluster now} */
  public int memberCount() {
    return dataMembers().size();
  }

  /** Stops watching the cluster; chunks still running go on. */
  public void close() {
    try {
      hazelcast.getCluster().removeMembershipListener(registration);
    } catch (RuntimeException e) {
      Log.LOG.debug("could not remove the membership listener; the instance is shutting down", e);
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    Log.LOG.info("cluster member joined: {}", describe(event.getMember()));
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    Member member = event.getMember();
    Set<Attempt> lost = running.remove(member.getUuid());
    Log.LOG.warn("cluster member left or died: {} ({} of this pool's chunks were on it)", describe(member),
        lost == null ? 0 : lost.size());
    if (lost != null) {
      for (Attempt a : lost) {
        try {
          settle(a, null, new MemberLeftException(member)); // nothing to cancel: the member is gone
        } catch (RuntimeException e) {
          Log.LOG.error("could not settle a chunk of lost member {}", describe(member), e);
        }
      }
    }
  }

  private void start(Run run) {
    Member member = leastBusy(run.lost);
    if (member == null) {
      run.completeExceptionally(new NoMemberException(run.lost.isEmpty()
          ? "no cluster member is available to run the chunk; start members, or check the cluster name and addresses"
          : "no cluster member is left to re-run the chunk after losing " + String.join(", ", run.lostNames)));
      return;
    }
    Attempt attempt = new Attempt(run, member);
    Set<Attempt> onMember = running.computeIfAbsent(member.getUuid(), k -> ConcurrentHashMap.newKeySet());
    onMember.add(attempt);
    run.attempts++;
    run.current = attempt;
    Future<ChunkReply> f;
    try {
      f = durable == null ? executor.submitToMember(run.memberRun, member)
          : durable.submitToKeyOwner(run.memberRun, keyOwnedBy(member));
    } catch (RuntimeException e) {
      onMember.remove(attempt);
      settle(attempt, null, e);
      return;
    }
    attempt.future = f;
    if (run.isCancelled()) {
      f.cancel(true);
    }
    if (!(f instanceof CompletableFuture<ChunkReply> stage)) {
      throw new IllegalStateException("Hazelcast returned a " + f.getClass().getName()
          + ", not a CompletableFuture; this Hazelcast version is not supported");
    }
    stage.whenComplete((reply, error) -> {
      Set<Attempt> set = running.get(member.getUuid());
      if (set != null) {
        set.remove(attempt);
      }
      settle(attempt, reply, error);
    });
  }

  private void settle(Attempt attempt, ChunkReply reply, Throwable error) {
    if (!attempt.settled.compareAndSet(false, true)) {
      return;
    }
    Run run = attempt.run;
    if (run.isDone()) {
      return; // cancelled by the caller
    }
    if (error == null) {
      run.complete(reply);
      return;
    }
    Throwable cause = unwrap(error);
    if (!isMemberLoss(cause)) {
      run.completeExceptionally(cause);
      return;
    }
    String who = describe(attempt.member);
    run.lost.add(attempt.member.getUuid());
    run.lostNames.add(who);
    if (run.idempotent && run.attempts < maxAttempts) {
      Log.LOG.warn("re-running an idempotent chunk after losing member {} (attempt {} of {})", who,
          run.attempts + 1, maxAttempts);
      start(run);
    } else {
      run.completeExceptionally(new MemberGoneException(who, run.attempts, run.idempotent, cause));
    }
  }

  private Member leastBusy(Set<UUID> exclude) {
    Member best = null;
    int bestLoad = Integer.MAX_VALUE;
    List<Member> members = dataMembers();
    int offset = members.isEmpty() ? 0 : ThreadLocalRandom.current().nextInt(members.size());
    for (int k = 0; k < members.size(); k++) {
      Member m = members.get((k + offset) % members.size());
      if (exclude.contains(m.getUuid())) {
        continue;
      }
      Set<Attempt> set = running.get(m.getUuid());
      int load = set == null ? 0 : set.size();
      if (load < bestLoad) {
        best = m;
        bestLoad = load;
      }
    }
    return best;
  }

  private List<Member> dataMembers() {
    Collection<Member> all = hazelcast.getCluster().getMembers();
    List<Member> out = new ArrayList<>(all.size());
    for (Member m : all) {
      if (!m.isLiteMember()) {
        out.add(m);
      }
    }
    return out;
  }

  private Object keyOwnedBy(Member member) {
    var partitions = hazelcast.getPartitionService();
    int base = ThreadLocalRandom.current().nextInt(1 << 20);
    for (int k = 0; k < 100_000; k++) {
      Integer key = base + k;
      Member owner = partitions.getPartition(key).getOwner();
      if (owner != null && owner.getUuid().equals(member.getUuid())) {
        return key;
      }
    }
    return base; // partition table in flux: any key will do, the durable executor routes it
  }

  /**
   * Describes a member for messages: address, pid if it publishes one, and its UUID.
   *
   * @param member the member
   * @return e.g. {@code "127.0.0.1:5702 pid 4711 (uuid ...)"}
   */
  public static String describe(Member member) {
    String pid = member.getAttribute(PID_ATTRIBUTE);
    return member.getAddress().getHost() + ":" + member.getAddress().getPort() + (pid == null ? "" : " pid " + pid) + " (uuid " + member.getUuid() + ")";
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isMemberLoss(Throwable t) {
    return t instanceof MemberLeftException || t instanceof TargetDisconnectedException
        || t instanceof TargetNotMemberException;
  }

  /** One run across its attempts (one per member tried); the future the pool sees. */
  private final class Run extends CompletableFuture<ChunkReply> {
    final MemberRun memberRun;
    final boolean idempotent;
    final Set<UUID> lost = ConcurrentHashMap.newKeySet();
    final List<String> lostNames = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile int attempts;
    volatile Attempt current;

    Run(MemberRun memberRun, boolean idempotent) {
      this.memberRun = memberRun;
      this.idempotent = idempotent;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // the member first: completing this future may let the pool's close() shut the client down,
      // after which the interrupt could no longer reach the member and the task would run on
      cancelOnMember(current);
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        cancelOnMember(current); // an attempt started meanwhile (its submitter also checks isCancelled())
      }
      return cancelled;
    }

    private static void cancelOnMember(Attempt a) {
      if (a == null || a.future == null || a.future.isDone()) {
        return;
      }
      try {
        a.future.cancel(true); // interrupts the task on its member
      } catch (RuntimeException e) {
        // the member left or died (Hazelcast's cancel asks it, and throws when it is gone), or
        // the instance is shutting down: there is nothing left to interrupt
        Log.LOG.debug("could not cancel a chunk on member {}", describe(a.member), e);
      }
    }
  }

  /** One try of a chunk on one member. */
  private static final class Attempt {
    final Run run;
    final Member member;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile Future<ChunkReply> future;

    Attempt(Run run, Member member) {
      this.run = run;
      this.member = member;
    }
  }

  /** The chunk's member left or died, and the chunk was not (or could no longer be) re-run. */
  public static final class MemberGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The lost member, described. */
    private final String member;
    /** How many members the chunk was tried on. */
    private final int attempts;
    /** Whether the task was marked idempotent. */
    private final boolean idempotent;

    MemberGoneException(String member, int attempts, boolean idempotent, Throwable cause) {
      super("member " + member + " left or died while it ran the chunk", cause);
      this.member = member;
      this.attempts = attempts;
      this.idempotent = idempotent;
    }

    /** {@return the lost member, described} */
    public String member() {
      return member;
    }

    /** {@return how many members the chunk was tried on} */
    public int attempts() {
      return attempts;
    }

    /** {@return whether the task was marked idempotent} */
    public boolean idempotent() {
      return idempotent;
    }
  }

  /** No member is left to run a chunk. */
  public static final class NoMemberException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NoMemberException(String message) {
      super(message);
    }
  }
}
