package io.github.multiproc.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiproc.Task;
import io.github.multiproc.cluster.internal.ClusterCodecs;
import io.github.multiproc.cluster.internal.ClusterDispatcher;
import io.github.multiproc.cluster.internal.MemberScheduler;
import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.EventDelivery;

/**
 * A {@link ClusterPool}'s hold on the cluster: the Hazelcast instance it works through (an
 * embedded member or a client started for it, or the user's, which it leaves running), the
 * scheduler that sends chunks to members, and the listener's events (members that join and
 * leave, items that fail). The pool keeps its API and its sizing; this class opens its calls and
 * closes all of it in order.
 *
 * <p>Thread safety: thread-safe; {@link #close()} once, from the pool's close.
 */
final class ClusterBackend {

  private final HazelcastInstance hazelcast;
  private final boolean ownsInstance;
  private final MemberScheduler scheduler;
  private final AllowRule rule;
  private final EventDelivery events;
  private final MemberEvents memberEvents; // null without a listener

  private ClusterBackend(ClusterPoolOptions o, HazelcastInstance hazelcast, boolean ownsInstance) {
    this.hazelcast = hazelcast;
    this.ownsInstance = ownsInstance;
    this.rule = ClusterCodecs.rule(o.allowed());
    this.scheduler = new MemberScheduler(hazelcast, HazelcastConfigs.EXECUTOR, o.durable(), o.maxAttempts());
    this.events = EventDelivery.of(o.listener());
    this.memberEvents = events.enabled() ? MemberEvents.watch(hazelcast, events) : null;
  }

  /**
   * Works through the options' instance, or starts the embedded member or connects the client
   * they ask for; an instance started here is shut down again if the rest fails.
   *
   * @param o the builder's options
   * @return the backend
   * @throws IllegalStateException if the client cannot reach the cluster within the connect
   *     timeout (the message names the cluster, the addresses and the likely causes)
   */
  static ClusterBackend open(ClusterPoolOptions o) {
    if (o.instance() != null) {
      return new ClusterBackend(o, o.instance(), false);
    }
    HazelcastInstance hz = start(o);
    try {
      return new ClusterBackend(o, hz, true);
    } catch (RuntimeException e) {
      hz.shutdown();
      throw e;
    }
  }

  private static HazelcastInstance start(ClusterPoolOptions o) {
    if (o.mode() == ClusterMode.EMBEDDED) {
      return Hazelcast.newHazelcastInstance(HazelcastConfigs.member(o.memberSettings()));
    }
    try {
      return HazelcastClient.newHazelcastClient(HazelcastConfigs.client(o.clusterName(), o.members(), o.allowed(),
          o.failureDetection(), o.connectTimeout()));
    } catch (IllegalStateException e) {
      throw new IllegalStateException("could not connect to cluster '" + o.clusterName() + "' at "
          + (o.members().isEmpty() ? "127.0.0.1:5701" : o.members()) + " within " + o.connectTimeout()
          + ": check that members run, the cluster name matches, and the addresses are reachable", e);
    }
  }

  /** {@return the instance (embedded member or client) the pool works through} */
  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** {@return whether the instance was started for the pool (and ends with it)} */
  boolean ownsInstance() {
    return ownsInstance;
  }

  /** {@return the number of data members in the cluster now} */
  int memberCount() {
    return scheduler.memberCount();
  }

  /** {@return the chunks sent to members and not yet answered} */
  int inFlight() {
    return scheduler.outstanding().size();
  }

  /**
   * Opens one call's dispatcher; with a listener, each failed item is also reported.
   *
   * @param task the call's task
   * @param checkOpen throws if the pool is closed
   * @param <T> the inputs
   * @param <R> the results
   * @return the dispatcher
   */
  <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, Runnable checkOpen) {
    ChunkDispatcher<T, R> dispatcher = ClusterDispatcher.open(scheduler, task, rule, checkOpen);
    return events.enabled() ? new FailureReportingDispatcher<>(dispatcher, events) : dispatcher;
  }

  /**
   * Waits for the chunks in flight, then closes the scheduler, the member events, the instance
   * if it was started here, and the event delivery.
   *
   * @return whether the wait was interrupted (it went on; the status is the caller's to restore)
   */
  boolean close() {
    boolean interrupted = scheduler.awaitOutstanding();
    scheduler.close();
    if (memberEvents != null) {
      memberEvents.close();
    }
    if (ownsInstance) {
      hazelcast.shutdown();
    }
    events.close();
    return interrupted;
  }
}
