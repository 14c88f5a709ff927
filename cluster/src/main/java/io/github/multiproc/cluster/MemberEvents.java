package io.github.multiproc.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.cluster.internal.MemberScheduler;
import io.github.multiproc.spi.EventDelivery;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns cluster membership into pool events: a data member present at start or joining is
 * {@link PoolEvent.WorkerStarted}, one that leaves or is lost is {@link PoolEvent.WorkerDied}.
 * Made only when the pool has a listener.
 *
 * <p>Thread safety: Hazelcast calls the listener on its event threads; events go to the pool's
 * {@link EventDelivery}, which is thread-safe.
 */
final class MemberEvents implements MembershipListener {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(MemberEvents.class);
  }

  private final HazelcastInstance hazelcast;
  private final EventDelivery events;
  private UUID registration;

  private MemberEvents(HazelcastInstance hazelcast, EventDelivery events) {
    this.hazelcast = hazelcast;
    this.events = events;
  }

  /** Emits WorkerStarted for the members there now, then follows joins and losses. */
  static MemberEvents watch(HazelcastInstance hazelcast, EventDelivery events) {
    MemberEvents m = new MemberEvents(hazelcast, events);
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.isLiteMember()) {
        events.emit(new PoolEvent.WorkerStarted(pid(member)));
      }
    }
    m.registration = hazelcast.getCluster().addMembershipListener(m);
    return m;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    if (!event.getMember().isLiteMember()) {
      events.emit(new PoolEvent.WorkerStarted(pid(event.getMember())));
    }
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    Member member = event.getMember();
    if (!member.isLiteMember()) {
      events.emit(new PoolEvent.WorkerDied(pid(member), OptionalInt.empty(),
          "cluster member left or was lost: " + MemberScheduler.describe(member)));
    }
  }

  void close() {
    try {
      hazelcast.getCluster().removeMembershipListener(registration);
    } catch (RuntimeException e) {
      Log.LOG.debug("could not remove the membership listener; the instance is shutting down", e);
    }
  }

  static long pid(Member member) {
    String pid = member.getAttribute(MemberScheduler.PID_ATTRIBUTE);
    return parse(pid);
  }

  /** The pid in a member description such as {@code "127.0.0.1:5702 pid 4711 (uuid ...)"}, or -1. */
  static long pidIn(String description) {
    if (description == null) {
      return -1;
    }
    int at = description.indexOf(" pid ");
    if (at < 0) {
      return -1;
    }
    int end = description.indexOf(' ', at + 5);
    return parse(description.substring(at + 5, end < 0 ? description.length() : end));
  }

  private static long parse(String pid) {
    try {
      return pid == null ? -1 : Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      return -1; // a member that publishes something else: unknown
    }
  }
}
